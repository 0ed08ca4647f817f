// The bad-record budget of a job run: counts rejections and fails the job past `maxBadRecords`.

import { IngestError } from '../errors.js'

/** Counts rejected records of one run. */
export class RejectBudget {
  readonly max: number
  #spent = 0

  /** @param max - Rejections allowed in one run (0: the first bad record fails the job). */
  constructor(max: number) {
    this.max = max
  }

  get spent(): number {
    return this.#spent
  }

  /** Records one rejection. @throws IngestError `TooManyBadRecords` past the budget. */
  spend(appId: string, batchId: number, lastMessage: string): void {
    this.#spent++
    if (this.#spent > this.max) {
      throw new IngestError('TooManyBadRecords', `job '${appId}' batch ${batchId}: expected at most ${this.max} bad records, found ${this.#spent}; last: ${lastMessage}`, {
        context: { appId, batchId, maxBadRecords: this.max, rejected: this.#spent },
      })
    }
  }
}
