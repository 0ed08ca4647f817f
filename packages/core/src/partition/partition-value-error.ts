// The error thrown when a partition value in the log cannot be read as its column's type.
// A subclass of LakeError so callers can branch on `code` ('CorruptLog').

import { LakeError } from '@lake/storage'
import type { LakeErrorOptions } from '@lake/storage'

/** A serialized partition value that does not parse as its column's type. Code `CorruptLog`. */
export class PartitionValueError extends LakeError {
  constructor(message: string, options: LakeErrorOptions = {}) {
    super('CorruptLog', message, options)
  }
}
