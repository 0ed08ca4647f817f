// lineChunks: the main thread's cut of NDJSON bytes into line-aligned chunks. Boundaries depend only on
// the bytes and the limits (not on how the input was read), lines and records are numbered as the
// NDJSON reader numbers them, and each chunk owns its ArrayBuffer (safe to transfer).
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { lineChunks } from '../src/index.js'
import type { LineChunk, LineChunkLimits } from '../src/index.js'

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

async function cut(text: string | Uint8Array, limits: LineChunkLimits, readSize = 1 << 20): Promise<LineChunk[]> {
  const out: LineChunk[] = []
  for await (const chunk of lineChunks(pieces(typeof text === 'string' ? Buffer.from(text) : text, readSize), limits)) out.push(chunk)
  return out
}

const textOf = (chunk: LineChunk): string => Buffer.from(chunk.bytes).toString('utf8')

describe('lineChunks', () => {
  it('cuts at line ends after chunkRows records, numbering lines and rows (blank lines count as lines only)', async () => {
    const chunks = await cut('{"a":1}\n\n{"a":2}\r\n  \n{"a":3}\n{"a":4}', { rows: 2, bytes: 1 << 20 })
    expect(chunks.map((c) => ({ text: textOf(c), firstLine: c.firstLine, firstRow: c.firstRow, records: c.records, atStart: c.atStart }))).toEqual([
      { text: '{"a":1}\n\n{"a":2}\r\n', firstLine: 1, firstRow: 0, records: 2, atStart: true },
      { text: '  \n{"a":3}\n{"a":4}', firstLine: 4, firstRow: 2, records: 2, atStart: false },
    ])
  })

  it('cuts at the first line end past chunkBytes (trailing blank lines stay in the last chunk)', async () => {
    const chunks = await cut('{"a":1}\n{"a":2}\n{"a":3}\n\n\n', { rows: 100, bytes: 10 })
    expect(chunks.map(textOf)).toEqual(['{"a":1}\n{"a":2}\n', '{"a":3}\n\n\n'])
    expect(chunks.map((c) => c.firstRow)).toEqual([0, 2])
    // A chunk of blank lines only (after a cut) is not yielded.
    expect((await cut('{"a":1}\n\n\n', { rows: 1, bytes: 1 << 20 })).map(textOf)).toEqual(['{"a":1}\n'])
  })

  it('counts a byte order mark line, a line of invalid UTF-8 and a line of non-ASCII spaces as the reader does', async () => {
    const bytes = Buffer.concat([Buffer.from('\ufeff\n'), Buffer.from([0xff, 0x0a]), Buffer.from('\u00a0\u2003\n{"a":1}\n')])
    const [chunk] = await cut(bytes, { rows: 100, bytes: 1 << 20 })
    // line 1: only a BOM (blank); line 2: invalid UTF-8 (a record, refused later); line 3: blank; line 4: a record
    expect(chunk?.records).toBe(2)
  })

  it('gives each chunk its own ArrayBuffer', async () => {
    const chunks = await cut('{"a":1}\n{"a":2}\n', { rows: 1, bytes: 1 << 20 })
    for (const chunk of chunks) {
      expect(chunk.bytes.byteOffset).toBe(0)
      expect(chunk.bytes.buffer.byteLength).toBe(chunk.bytes.byteLength)
    }
  })

  it('refuses a line longer than maxLineBytes, naming it (a trailing \\r does not count)', async () => {
    await expect(cut('{"a":1}\n{"b":"xxxxxxxxxx"}\n', { rows: 10, bytes: 100, maxLineBytes: 12 }, 3)).rejects.toMatchObject({
      code: 'InvalidArgument',
      context: { line: 2, maxLineBytes: 12 },
    })
    await expect(cut('{"a":"12345"}\r\n', { rows: 10, bytes: 100, maxLineBytes: 13 })).resolves.toHaveLength(1)
    await expect(cut('{"a":"123456"}', { rows: 10, bytes: 100, maxLineBytes: 13 })).rejects.toMatchObject({ context: { line: 1 } })
  })

  it('cuts the same chunks however the input is read (property)', async () => {
    const line = fc.oneof(fc.constant(''), fc.constant('  '), fc.constant('\r'), fc.json().map((j) => j.replace(/\n/g, ' ')), fc.string({ unit: 'grapheme' }).map((s) => s.replace(/\n/g, '')))
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.boolean(), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 64 }), async (lines, endsInNewline, rows, bytes, readSize) => {
        const text = lines.join('\n') + (endsInNewline && lines.length > 0 ? '\n' : '')
        const whole = await cut(text, { rows, bytes })
        const pieced = await cut(text, { rows, bytes }, readSize)
        expect(pieced.map((c) => ({ ...c, bytes: textOf(c) }))).toEqual(whole.map((c) => ({ ...c, bytes: textOf(c) })))
        // Together the chunks hold every line that is not blank, in order.
        const records = (s: string): string[] => s.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '')
        expect(whole.flatMap((c) => records(textOf(c)))).toEqual(records(text))
        expect(whole.reduce((n, c) => n + c.records, 0)).toBe(records(text).length)
      }),
      { numRuns: 200 },
    )
  })
})
