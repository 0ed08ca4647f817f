// The error thrown when a deletion vector descriptor, file or bitmap is malformed or unreachable.
// Code `CorruptLog` for bad data; `Unsupported` for a `p` path outside the table's store.

import { LakeError } from '@lake/storage'
import type { LakeErrorOptions } from '@lake/storage'

/** A deletion vector problem. Code `CorruptLog` (bad Z85, size, checksum, bitmap) or `Unsupported`. */
export class DeletionVectorError extends LakeError {
  declare readonly code: 'CorruptLog' | 'Unsupported'
  constructor(message: string, options: LakeErrorOptions & { readonly code?: 'CorruptLog' | 'Unsupported' } = {}) {
    super(options.code ?? 'CorruptLog', message, options)
  }
}
