// Public API of @lake/storage-s3.
