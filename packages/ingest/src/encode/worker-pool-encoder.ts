// Encoder over a piscina pool of worker threads running `encode-worker.js` (compiled to dist/).
// Rows go to the worker by structured clone; encoded bytes come back the same way.

import { Piscina } from 'piscina'
import type { EncodedDataFile } from '@lake/core/internal'
import { filesOf } from './encode-chunk.js'
import type { EncodeResult, EncodeTask } from './encode-chunk.js'
import type { Encoder } from './encoder.js'

/** Idle workers exit after this long; a job keeps them busy between batches. */
const IDLE_TIMEOUT_MS = 30_000 // 30 s

/** A fixed pool of `threads` encoder workers. */
export class WorkerPoolEncoder implements Encoder {
  readonly concurrency: number
  readonly #pool: Piscina<EncodeTask, EncodeResult>
  #closed = false

  constructor(threads: number) {
    this.concurrency = threads
    this.#pool = new Piscina({
      filename: workerUrl().href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: IDLE_TIMEOUT_MS,
    })
  }

  async encode(task: EncodeTask, signal?: AbortSignal): Promise<EncodedDataFile[]> {
    return filesOf(await this.#pool.run(task, signal === undefined ? {} : { signal }))
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#pool.destroy()
  }
}

/**
 * The compiled worker next to this module. Under a TypeScript test runner this module is
 * `src/encode/*.ts`, which has no `.js` sibling: use the built worker in `dist/` then.
 */
function workerUrl(): URL {
  const here = import.meta.url
  if (here.endsWith('.ts')) return new URL('../../dist/encode/encode-worker.js', here)
  return new URL('./encode-worker.js', here)
}
