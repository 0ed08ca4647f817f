// The line route's encoder pool, started as soon as `lake ingest` knows from its options that it takes
// that route: before the CLI loads the table code (@lake/core, the ingest pipeline), so the workers
// start while it loads. This module imports only the pool (`@lake/ingest/encoder-pool`: piscina, no
// @lake/core) and the sizing rule; the CLI's bundle keeps them in a small chunk of their own.

import { stat } from 'node:fs/promises'
import { availableParallelism } from 'node:os'
import type { Encoder } from '@lake/ingest'
import { ingestPlan, takesLineRoute } from './ingest-plan.js'
import type { PlanRequest } from './ingest-plan.js'

/**
 * Input bytes per encoder thread of the line route: a worker costs about 0.15 s of CPU to start (its
 * bundle), as much as encoding a few MiB of NDJSON, so smaller inputs get fewer workers.
 */
export const BYTES_PER_LINE_ENCODER = 8 << 20 // 8 MiB

/** Encoder threads for `inputBytes` of NDJSON: one per BYTES_PER_LINE_ENCODER, at most the cores and `concurrency`. */
export function lineEncoderThreads(concurrency: number | undefined, inputBytes = Number.POSITIVE_INFINITY): number {
  const bySize = Math.max(1, Math.ceil(inputBytes / BYTES_PER_LINE_ENCODER))
  return Math.min(concurrency ?? Number.POSITIVE_INFINITY, Math.max(1, availableParallelism()), bySize)
}

/** What the early start needs of the request. */
export interface EarlyRequest extends PlanRequest {
  /** The input file; undefined for stdin (its size is known only once spooled). */
  readonly path: string | undefined
  readonly format: string
  readonly concurrency?: number | undefined
}

/**
 * The line route's pool (default codec), started now; undefined when the request takes another route
 * or its input is stdin or not a readable file (the pipeline then decides, and reports, as before).
 * The caller closes it (runIngest does, and closing twice is harmless).
 */
export async function startEarlyEncoder(request: EarlyRequest): Promise<Encoder | undefined> {
  if (request.path === undefined || !takesLineRoute(ingestPlan(request), request.format)) return undefined
  const size = await stat(request.path).then((s) => (s.isFile() ? s.size : undefined), () => undefined)
  if (size === undefined) return undefined
  const { WorkerPoolEncoder } = await import('@lake/ingest/encoder-pool')
  return new WorkerPoolEncoder(lineEncoderThreads(request.concurrency, size))
}
