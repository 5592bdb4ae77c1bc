"""Pipeline: runs the stages in order (ingest; bring embeddings and assignments up to date)."""
