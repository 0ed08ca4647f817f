// A bad command line the CLI detected itself (an option value, a missing argument): exit code 2.

import { LakeError } from '@lake/storage'
import type { LakeErrorOptions } from '@lake/storage'

/** A malformed option or argument. Exits with code 2 (`InvalidArgument`). */
export class UsageError extends LakeError {
  declare readonly code: 'InvalidArgument'
  /** A suggestion printed after the message. */
  readonly hint: string | undefined

  constructor(message: string, hint?: string, options: LakeErrorOptions = {}) {
    super('InvalidArgument', message, options)
    this.hint = hint
  }
}
