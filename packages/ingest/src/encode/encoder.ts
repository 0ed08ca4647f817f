// The Encoder seam: turns chunks of rows into encoded data files, in worker threads or inline.
// The pipeline only sees this interface, so tests and tiny jobs can skip the thread pool.

import { availableParallelism } from 'node:os'
import type { EncodedDataFile } from '@lake/core/internal'
import { encodeChunk, filesOf } from './encode-chunk.js'
import type { EncodeTask } from './encode-chunk.js'
import { WorkerPoolEncoder } from './worker-pool-encoder.js'

/** Encodes chunks; `concurrency` chunks may run at once. */
export interface Encoder {
  /** How many chunks encode in parallel (worker threads; 1 for inline). */
  readonly concurrency: number
  /**
   * Encodes one chunk (coercing it first when the task asks). Never does I/O. Rejects with the
   * coercion or encoding error (`SchemaError`, a codec `LakeError`), or when `signal` fires.
   */
  encode(task: EncodeTask, signal?: AbortSignal): Promise<EncodedDataFile[]>
  /** Stops the workers. Idempotent. */
  close(): Promise<void>
}

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
