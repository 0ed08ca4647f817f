// Public API of @lake/storage-s3. Importing it registers the `s3` scheme with `openStore` (side effect
// of register-s3-scheme.ts); everything else here is a re-export.

import './register-s3-scheme.js'

export { S3Store, DEFAULT_MULTIPART_THRESHOLD_BYTES, DEFAULT_PART_BYTES, type S3StoreOptions } from './s3-store.js'
export {
  createS3Store,
  s3StoreFromUrl,
  parseS3Url,
  type CreateS3StoreOptions,
  type S3Credentials,
  type S3UrlOptions,
} from './create-s3-store.js'
export { openS3Store } from './register-s3-scheme.js'
export { toStorageError, type S3ErrorContext } from './to-storage-error.js'
export { withRetry, backoffDelay, DEFAULT_RETRY_POLICY, type RetryPolicy } from './with-retry.js'
export { MIN_PART_BYTES } from './multipart-upload.js'
