"""Pattern 11, serverless RAG: DocumentIngester and RAGQuery."""
