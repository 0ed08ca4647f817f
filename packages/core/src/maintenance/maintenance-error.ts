// The error of the table maintenance operations (vacuum, optimize, restore, log cleanup):
// a refused safety check or an unusable argument. Callers branch on `code`.

import { LakeError } from '@lake/storage'
import type { LakeErrorCode, LakeErrorOptions } from '@lake/storage'

/** Codes a `MaintenanceError` carries. */
export type MaintenanceErrorCode = Extract<LakeErrorCode, 'SafetyCheck' | 'InvalidArgument'>

/**
 * A maintenance operation refused to run: `SafetyCheck` when it could lose data a reader or
 * writer still needs (vacuum retention under the table's, a restore whose files were vacuumed),
 * `InvalidArgument` for options it cannot use.
 */
export class MaintenanceError extends LakeError {
  declare readonly code: MaintenanceErrorCode
  constructor(code: MaintenanceErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}
