// readLineChunks: NDJSON read straight into pooled chunk buffers. It cuts exactly the chunks of
// lineChunks (however the input is read, whatever the pool's buffer size), each chunk views a whole
// ArrayBuffer of its own (safe to transfer), a buffer handed back is reused, and a chunk's bytes are
// never overwritten while it is held.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lineChunks } from '../src/index.js'
import type { LineChunk, LineChunkLimits } from '../src/index.js'
import { ChunkPool } from '../src/lines/chunk-pool.js'
import { readLineChunks } from '../src/lines/read-line-chunks.js'
import type { ReadInto } from '../src/lines/read-line-chunks.js'

/** Reads `bytes` in reads of the given sizes in turn (each at most what `into` holds). */
function reader(bytes: Uint8Array, sizes: readonly number[]): ReadInto {
  let at = 0
  let i = 0
  return async (into) => {
    const n = Math.min(into.length, bytes.length - at, sizes[i++ % sizes.length] as number)
    into.set(bytes.subarray(at, at + n))
    at += n
    return n
  }
}

async function whole(text: Uint8Array, limits: LineChunkLimits): Promise<LineChunk[]> {
  const out: LineChunk[] = []
  async function* once(): AsyncGenerator<Uint8Array> {
    yield text
  }
  for await (const chunk of lineChunks(once(), limits)) out.push(chunk)
  return out
}

async function pooled(text: Uint8Array, limits: LineChunkLimits, pool: ChunkPool, sizes: readonly number[], readBytes?: number): Promise<LineChunk[]> {
  const out: LineChunk[] = []
  for await (const chunk of readLineChunks(reader(text, sizes), limits, pool, readBytes)) out.push(chunk)
  return out
}

const view = (c: LineChunk): unknown => ({ ...c, bytes: Buffer.from(c.bytes).toString('latin1') })

describe('readLineChunks', () => {
  it('cuts the chunks of lineChunks whatever the reads and the buffer size, each a whole ArrayBuffer of its own, none overwritten while held (property)', async () => {
    const line = fc.oneof(fc.constant(''), fc.constant('  '), fc.constant('\r'), fc.constant('\ufeff'), fc.json().map((j) => j.replace(/\n/g, ' ')), fc.string({ unit: 'grapheme' }).map((s) => s.replace(/\n/g, '')))
    const sizes = fc.array(fc.integer({ min: 1, max: 70 }), { minLength: 1, maxLength: 5 })
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.boolean(), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 200 }), sizes, fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 64 }), async (lines, endsInNewline, rows, bytes, reads, poolSize, readBytes) => {
        const text = Buffer.from(lines.join('\n') + (endsInNewline && lines.length > 0 ? '\n' : ''))
        const expected = await whole(text, { rows, bytes })
        // Every chunk held at once (none handed back): later reads never write into an earlier chunk.
        const chunks = await pooled(text, { rows, bytes }, new ChunkPool(poolSize, 2), reads, readBytes)
        expect(chunks.map(view)).toEqual(expected.map(view))
        for (const chunk of chunks) expect(chunk.bytes.byteOffset).toBe(0)
        expect(new Set(chunks.map((c) => c.bytes.buffer)).size).toBe(chunks.length)
        // Each chunk handed back as soon as it is read: the same cut.
        const pool = new ChunkPool(poolSize, 2)
        const reused: unknown[] = []
        for await (const chunk of readLineChunks(reader(text, reads), { rows, bytes }, pool, readBytes)) {
          reused.push(view(chunk))
          pool.give(chunk.bytes.buffer as ArrayBuffer)
        }
        expect(reused).toEqual(expected.map(view))
      }),
      { numRuns: 300 },
    )
  })

  it('fills a buffer handed back for a later chunk, and never one still held', async () => {
    const text = Buffer.from(Array.from({ length: 12 }, (_, i) => `{"id":${i}}\n`).join(''))
    const pool = new ChunkPool(64, 2)
    const chunks = readLineChunks(reader(text, [16]), { rows: 2, bytes: 1 << 20 }, pool, 16)
    const first = (await chunks.next()).value as LineChunk
    const second = (await chunks.next()).value as LineChunk
    expect(second.bytes.buffer).not.toBe(first.bytes.buffer)
    const held = Buffer.from(second.bytes).toString()
    pool.give(first.bytes.buffer as ArrayBuffer)
    const rest: LineChunk[] = []
    for await (const chunk of chunks) rest.push(chunk)
    // The first buffer back in the pool is filled again (for the chunk after the one being cut when it came back).
    expect(rest.some((c) => c.bytes.buffer === first.bytes.buffer)).toBe(true)
    expect(Buffer.from(second.bytes).toString()).toBe(held)
    expect([first, second, ...rest].map((c) => c.firstRow)).toEqual([0, 2, 4, 6, 8, 10])
  })

  it('gives a chunk longer than the pool a buffer of its own, and refuses a line over maxLineBytes as lineChunks does', async () => {
    const long = `{"s":"${'x'.repeat(500)}"}\n{"id":1}\n`
    const chunks = await pooled(Buffer.from(long), { rows: 1, bytes: 1 << 20 }, new ChunkPool(64, 2), [7])
    expect(chunks.map((c) => Buffer.from(c.bytes).toString())).toEqual([`{"s":"${'x'.repeat(500)}"}\n`, '{"id":1}\n'])
    const tooLong = pooled(Buffer.from('{"id":1}\n{"id":22}\n'), { rows: 1, bytes: 1 << 20, maxLineBytes: 8 }, new ChunkPool(64, 2), [3])
    await expect(tooLong).rejects.toMatchObject({ name: 'IngestError', code: 'InvalidArgument', context: { line: 2, maxLineBytes: 8 } })
  })
})

describe('ChunkPool', () => {
  it('keeps at most max buffers of its size, not detached, each once', () => {
    const pool = new ChunkPool(8, 2)
    const a = pool.take().buffer as ArrayBuffer
    pool.give(a)
    pool.give(a)
    expect(pool.free).toBe(1)
    expect(pool.take().buffer).toBe(a)
    pool.give(new ArrayBuffer(16))
    const moved = new ArrayBuffer(8)
    structuredClone(moved, { transfer: [moved] })
    pool.give(moved)
    expect(pool.free).toBe(0)
    for (let i = 0; i < 3; i++) pool.give(new ArrayBuffer(8))
    expect(pool.free).toBe(2)
  })
})
