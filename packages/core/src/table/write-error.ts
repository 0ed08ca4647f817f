// WriteError: a write refused before anything was written (wrong mode, bad options, rows that
// violate replaceWhere or a constraint). The table is unchanged when one is thrown.

import { LakeError } from '@lake/storage'
import type { LakeErrorCode, LakeErrorOptions } from '@lake/storage'

/** Codes a `WriteError` carries. */
export type WriteErrorCode = Extract<LakeErrorCode, 'TableExists' | 'InvalidArgument' | 'ConstraintViolation' | 'SafetyCheck' | 'UnsupportedFeature'>

/** A write refused by a check; nothing was written or committed. */
export class WriteError extends LakeError {
  declare readonly code: WriteErrorCode
  constructor(code: WriteErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}
