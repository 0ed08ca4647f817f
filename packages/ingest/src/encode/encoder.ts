// The Encoder seam: turns chunks of rows into encoded data files, in worker threads or inline.
// The pipeline only sees this interface, so tests and tiny jobs can skip the thread pool.

import { availableParallelism } from 'node:os'
import type { EncodedDataFile } from '@lake/core'
import { encodeChunk, filesOf } from './encode-chunk.js'
import type { EncodeTask } from './encode-chunk.js'
import type { Encoder } from './encoder-types.js'
import { WorkerPoolEncoder } from './worker-pool-encoder.js'

/** Default encoder threads: every core but one (the main thread parses, coerces and uploads), at least 1. */
export function defaultEncoderThreads(): number {
  return Math.max(1, availableParallelism() - 1)
}

/**
 * An encoder with `threads` worker threads (piscina), or an inline encoder on the calling thread
 * when `threads` is 0.
 */
export function createEncoder(threads: number = defaultEncoderThreads()): Encoder {
  return threads === 0 ? new InlineEncoder() : new WorkerPoolEncoder(threads)
}

/** Encodes on the calling thread (no parallelism); for tests and small inputs. */
export class InlineEncoder implements Encoder {
  readonly concurrency = 1

  async encode(task: EncodeTask, signal?: AbortSignal): Promise<EncodedDataFile[]> {
    signal?.throwIfAborted()
    return filesOf(encodeChunk(task))
  }

  async close(): Promise<void> {}
}
