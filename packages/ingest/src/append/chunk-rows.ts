// Splits a row stream into chunks bounded by rows and estimated bytes. Pulls lazily, so at most
// one chunk is held here; never collects the input.

import { estimateBytes } from '@lake/core/internal'

/** Rows per chunk unless the byte bound cuts earlier. */
export const DEFAULT_CHUNK_ROWS = 100_000
/** Estimated in-memory bytes per chunk (input rows, before encoding). */
export const DEFAULT_CHUNK_BYTES = 64 << 20 // 64 MiB

/** Chunk bounds; a chunk holds at least one row. */
export interface ChunkLimits {
  readonly rows?: number | undefined
  readonly bytes?: number | undefined
}

/** Rows between two size estimates. */
const SAMPLE_EVERY = 16

/** Any input of rows: arrays, iterables, async iterables, Node object-mode Readables. */
export type RowSource<T> = Iterable<T> | AsyncIterable<T>

/**
 * Yields the rows of `input` in chunks of at most `limits.rows` rows and about `limits.bytes`
 * estimated bytes (every 16th row is measured and stands for the next 16). Sync iterables are read without an await per row.
 */
export async function* chunkRows<T>(input: RowSource<T>, limits: ChunkLimits = {}): AsyncGenerator<T[]> {
  const maxRows = limits.rows ?? DEFAULT_CHUNK_ROWS
  const maxBytes = limits.bytes ?? DEFAULT_CHUNK_BYTES
  let chunk: T[] = []
  let bytes = 0
  const add = (row: T): T[] | undefined => {
    chunk.push(row)
    // Sample every SAMPLE_EVERY-th row (the first included): estimating every row costs a full pass.
    if ((chunk.length - 1) % SAMPLE_EVERY === 0) bytes += estimateBytes(row) * Math.min(SAMPLE_EVERY, maxRows)
    if (chunk.length < maxRows && bytes < maxBytes) return undefined
    const full = chunk
    chunk = []
    bytes = 0
    return full
  }
  if (isAsyncIterable(input)) {
    for await (const row of input) {
      const full = add(row)
      if (full !== undefined) yield full
    }
  } else {
    for (const row of input) {
      const full = add(row)
      if (full !== undefined) yield full
    }
  }
  if (chunk.length > 0) yield chunk
}

/** True for async iterables (Node Readables included). */
export function isAsyncIterable<T>(input: RowSource<T>): input is AsyncIterable<T> {
  return typeof (input as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function'
}
