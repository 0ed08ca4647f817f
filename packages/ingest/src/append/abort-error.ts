// Maps a fired AbortSignal to the package's typed `Aborted` error.

import { IngestError } from '../errors.js'

/** An `IngestError('Aborted')` for `method`, keeping the signal's reason (and `cause`) attached. */
export function abortError(signal: AbortSignal, method: string, cause?: unknown): IngestError {
  return new IngestError('Aborted', `${method} was aborted: ${String(signal.reason)}`, {
    context: { method },
    cause: cause ?? signal.reason,
  })
}
