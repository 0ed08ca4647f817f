// How much `lake ingest` runs at once. --concurrency is bounded (MAX_CONCURRENCY) and memory is
// bounded by bytes in flight, not by the flag: encoder threads never outnumber the cores, and the
// input held in chunks is capped at IN_FLIGHT_BYTES whatever the concurrency.

import { availableParallelism } from 'node:os'
import { DEFAULT_LINE_CHUNK_BYTES, defaultEncoderThreads } from '@lake/ingest/append'
import type { FileWriteOptions } from '@lake/ingest'
import { IN_FLIGHT_BYTES } from './limits.js'

export { IN_FLIGHT_BYTES, MAX_CONCURRENCY } from './limits.js'

/** Smallest chunk, so a high concurrency still makes files of a useful size. */
const MIN_CHUNK_BYTES = 4 << 20 // 4 MiB
/** Uploads in flight by default. */
const DEFAULT_UPLOADS = 8

/** Encoders, uploads and chunk size for `concurrency` (undefined: the defaults). */
export function fileWriteOptions(concurrency: number | undefined): Pick<FileWriteOptions, 'encoders' | 'uploadConcurrency' | 'chunkBytes'> {
  const encoders = Math.min(concurrency ?? Number.POSITIVE_INFINITY, defaultEncoderThreads())
  const uploads = concurrency ?? DEFAULT_UPLOADS
  // The file pipeline holds encoders + ceil(uploads / 4) chunks, plus the one being filled.
  const chunks = encoders + Math.ceil(uploads / 4) + 1
  return { encoders, uploadConcurrency: uploads, chunkBytes: Math.max(MIN_CHUNK_BYTES, Math.floor(IN_FLIGHT_BYTES / chunks)) }
}

/**
 * Input bytes per encoder thread of the line route: a worker costs about 0.3 s of CPU to start (its
 * modules), as much as encoding roughly 8 MiB of NDJSON, so smaller inputs get fewer workers.
 */
export const BYTES_PER_LINE_ENCODER = 8 << 20 // 8 MiB

/**
 * Encoders, uploads and chunk size for NDJSON parsed in the encoders (`appendNdjson`): the main
 * thread only cuts lines, so every core encodes (at most `concurrency`, and one per
 * BYTES_PER_LINE_ENCODER of `inputBytes`: a small input gets one, the main thread, see INLINE_LINE_BYTES); chunks of 16 MiB of
 * lines (or --batch-rows records) keep every encoder busy and the input in flight small.
 */
export function lineWriteOptions(concurrency: number | undefined, inputBytes = Number.POSITIVE_INFINITY): Pick<FileWriteOptions, 'encoders' | 'uploadConcurrency' | 'chunkBytes'> {
  const bySize = Math.max(1, Math.ceil(inputBytes / BYTES_PER_LINE_ENCODER))
  const encoders = Math.min(concurrency ?? Number.POSITIVE_INFINITY, Math.max(1, availableParallelism()), bySize)
  return { encoders, uploadConcurrency: concurrency ?? DEFAULT_UPLOADS, chunkBytes: DEFAULT_LINE_CHUNK_BYTES }
}
