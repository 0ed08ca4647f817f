// The error thrown when a deletion vector descriptor, file or bitmap is malformed or unreachable, or
// when a writer is given row indexes it cannot encode. Code `CorruptLog` for bad data; `Unsupported`
// for a `p` path outside the table's store; `InvalidArgument` for a caller's bad input to a writer.

import { LakeError } from '@lake/storage'
import type { LakeErrorOptions } from '@lake/storage'

/** Codes a `DeletionVectorError` carries. */
export type DeletionVectorErrorCode = 'CorruptLog' | 'Unsupported' | 'InvalidArgument'

/**
 * A deletion vector problem. Code `CorruptLog` (bad Z85, size, checksum, bitmap), `Unsupported`,
 * or `InvalidArgument` (a row index, prefix, uuid or file layout a writer cannot encode).
 */
export class DeletionVectorError extends LakeError {
  declare readonly code: DeletionVectorErrorCode
  constructor(message: string, options: LakeErrorOptions & { readonly code?: DeletionVectorErrorCode } = {}) {
    super(options.code ?? 'CorruptLog', message, options)
  }
}
