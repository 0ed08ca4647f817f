// An encoder that shares the work between a worker pool and the calling thread: chunks go to the pool
// while it has room (each worker holds one chunk running and one queued, so it never waits for the
// calling thread to hand it the next), and to the calling thread when the pool is full and the
// calling thread is free. On a 2-core machine one worker plus the calling thread does the work of two
// workers without a second worker's start-up and its own copy of the optimized code.

import type { EncodedDataFile } from '@lake/core/internal'
import type { EncodeTask } from './encode-chunk.js'
import type { LinesTask } from '../lines/encode-lines.js'
import type { CsvTask } from '../csv/encode-csv.js'
import type { Encoder } from './encoder-types.js'

/** Tasks a worker holds at once: one running, one queued in its port. */
export const TASKS_PER_WORKER = 2

/** A pool (its workers holding TASKS_PER_WORKER tasks each) plus the calling thread (`inline`). */
export class SharedEncoder implements Encoder {
  readonly concurrency: number
  readonly #pool: Encoder
  readonly #inline: Encoder
  #inPool = 0
  #inlineBusy = false

  constructor(pool: Encoder, inline: Encoder) {
    this.#pool = pool
    this.#inline = inline
    this.concurrency = pool.concurrency + 1
  }

  async #run<T>(onPool: () => Promise<T>, inline: () => Promise<T>): Promise<T> {
    if (this.#inPool >= this.#pool.concurrency * TASKS_PER_WORKER && !this.#inlineBusy) {
      this.#inlineBusy = true
      try {
        return await inline()
      } finally {
        this.#inlineBusy = false
      }
    }
    this.#inPool++
    try {
      return await onPool()
    } finally {
      this.#inPool--
    }
  }

  encode(task: EncodeTask, signal?: AbortSignal): Promise<EncodedDataFile[]> {
    return this.#run(() => this.#pool.encode(task, signal), () => this.#inline.encode(task, signal))
  }

  encodeLines(task: LinesTask | CsvTask, signal?: AbortSignal, reuse?: (buffer: ArrayBuffer) => void): Promise<EncodedDataFile[]> {
    return this.#run(() => this.#pool.encodeLines(task, signal, reuse), async () => {
      const files = await this.#inline.encodeLines(task, signal)
      reuse?.(task.bytes.buffer as ArrayBuffer)
      return files
    })
  }

  async close(): Promise<void> {
    await Promise.all([this.#pool.close(), this.#inline.close()])
  }
}
