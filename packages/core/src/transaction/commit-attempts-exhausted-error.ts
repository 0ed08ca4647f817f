// The error a commit ends with when the backoff policy runs out of attempts or time while other
// writers keep winning versions without a logical conflict. Retryable: nothing is wrong but load.

import { LakeError } from '@lake/storage'

/** The commit loop gave up (code `CommitAttemptsExhausted`, retryable). */
export class CommitAttemptsExhaustedError extends LakeError {
  declare readonly code: 'CommitAttemptsExhausted'

  /**
   * @param attempts - commit attempts made
   * @param elapsedMs - time since the first attempt
   * @param lastVersion - the last version this transaction tried to write
   * @param limit - which bound was hit
   */
  constructor(attempts: number, elapsedMs: number, lastVersion: number, limit: 'attempts' | 'time', options: { cause?: unknown } = {}) {
    const bound = limit === 'attempts' ? 'maximum attempts' : 'time budget'
    super(
      'CommitAttemptsExhausted',
      `commit gave up after ${attempts} attempts in ${elapsedMs} ms (${bound} reached); last tried version ${lastVersion}` +
        '\nHelp: other writers kept committing first; retry later, raise the retry limits, or batch writes into fewer commits',
      { retryable: true, context: { attempts, elapsedMs, lastVersion, limit }, cause: options.cause },
    )
  }
}
