// Public API of @lake/ingest.
