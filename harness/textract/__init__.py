"""Textract as the harness serves it: documents read from the account's S3, and asynchronous jobs."""
