// The NDJSON chunk cut of a readable input (a file) without a second copy: the input is read
// straight into a pooled buffer, the chunk ending in it is handed out as a view of that buffer
// (its ArrayBuffer then moves to a worker), and only the bytes after the chunk's end (the start of
// the next one, at most one read) are copied to the start of the next buffer. Chunk boundaries are
// those of `lineChunks`: the same `ChunkCutter` finds them.

import { ChunkCutter } from './line-chunks.js'
import type { ChunkNumbering, LineChunk, LineChunkLimits } from './line-chunks.js'
import type { ChunkPool } from './chunk-pool.js'

/** Reads the input's next bytes into `into` (from its start); resolves to how many, 0 at the end. */
export type ReadInto = (into: Uint8Array) => Promise<number>

/** Bytes asked of one read. */
export const CHUNK_READ_BYTES = 1 << 20 // 1 MiB

/**
 * Like `lineChunks`, reading with `read` into buffers of `pool` (whose size should exceed
 * `limits.bytes` by a read or so; a chunk outgrowing it gets a bigger buffer of its own). Each
 * chunk's bytes view a whole ArrayBuffer of its own, starting at offset 0: hand it back to `pool`
 * (`give`) once nothing else reads it.
 * @throws IngestError `InvalidArgument` (context `{ line, maxLineBytes }`) as `lineChunks`.
 */
export async function* readLineChunks(read: ReadInto, limits: LineChunkLimits, pool: ChunkPool, readBytes = CHUNK_READ_BYTES): AsyncGenerator<LineChunk> {
  const cutter = new ChunkCutter(limits)
  let buf = pool.take()
  let filled = 0 // buf[0, filled): the bytes of the chunk being cut
  for (;;) {
    if (filled === buf.length) buf = grown(buf, pool)
    const n = await read(buf.subarray(filled, Math.min(buf.length, filled + readBytes)))
    if (n === 0) break
    const { chunks, from } = cutRead(cutter, buf, filled, n)
    filled += n
    if (from > 0) {
      const next = filled - from <= pool.size ? pool.take() : new Uint8Array((filled - from) * 2)
      next.set(buf.subarray(from, filled))
      if (chunks[0]?.bytes.buffer !== buf.buffer) pool.give(buf.buffer as ArrayBuffer)
      buf = next
      filled -= from
    }
    yield* chunks
  }
  const last = cutter.finish()
  if (last !== undefined) yield { ...last, bytes: buf.subarray(0, filled) }
  else pool.give(buf.buffer as ArrayBuffer)
}

/**
 * Scans the `n` bytes just read into `buf` at `filled`; returns the chunks that end in them (the
 * first a view of `buf` itself, any later one a copy: it starts in this read) and where the
 * unfinished chunk starts in `buf` (0 when none ended).
 */
function cutRead(cutter: ChunkCutter, buf: Uint8Array, filled: number, n: number): { chunks: LineChunk[]; from: number } {
  const chunks: LineChunk[] = []
  let from = 0
  for (const cut of cutter.scan(Buffer.from(buf.buffer, buf.byteOffset + filled, n))) {
    const end = filled + cut.end
    if (cut.chunk !== undefined) chunks.push(chunkOf(cut.chunk, from === 0 ? buf.subarray(0, end) : buf.slice(from, end)))
    from = end
  }
  return { chunks, from }
}

function chunkOf(numbering: ChunkNumbering, bytes: Uint8Array): LineChunk {
  return { ...numbering, bytes }
}

/** A buffer twice as long holding `buf`'s bytes (a chunk longer than the pool's buffers); `buf` goes back to the pool. */
function grown(buf: Uint8Array, pool: ChunkPool): Uint8Array {
  const bigger = new Uint8Array(buf.length * 2)
  bigger.set(buf)
  pool.give(buf.buffer as ArrayBuffer)
  return bigger
}
