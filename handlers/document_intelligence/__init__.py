"""Pattern 13, document intelligence: S3 upload -> TextractExtractor -> ExtractedDocuments."""
