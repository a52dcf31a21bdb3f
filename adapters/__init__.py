"""Offline and AWS implementations of Bedrock, Textract and Athena behind small interfaces."""
