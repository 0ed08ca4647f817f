// The errors @lake/ui raises itself: a bad query parameter of an API request, a server option it
// cannot use, a page that was not built. Errors of the table (not found, bad filter, ...) come from
// @lake/core with their own codes; the API maps both to HTTP statuses (api/http-error.ts).

import { LakeError } from '@lake/storage'
import type { LakeErrorOptions } from '@lake/storage'

/** Codes of `UiError`. */
export type UiErrorCode = 'InvalidArgument' | 'InvalidConfig' | 'NotFound'

/**
 * `InvalidArgument`: a query parameter of an API request is malformed (`context.parameter`).
 * `InvalidConfig`: a server option (host, port) cannot be used. `NotFound`: the page was not built.
 */
export class UiError extends LakeError {
  declare readonly code: UiErrorCode
  constructor(code: UiErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}
