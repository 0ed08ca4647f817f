// csvChunks: the header read once, then chunks cut only at record ends outside quotes, the same
// whatever sizes the input is read in, with the line and row of each chunk's first record.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { csvChunks } from '../src/index.js'
import type { CsvChunk, CsvHeader } from '../src/index.js'

async function* piecesOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text)
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

async function cut(text: string, size: number, rows: number): Promise<(CsvHeader | Omit<CsvChunk, 'bytes'> & { text: string })[]> {
  const out: (CsvHeader | Omit<CsvChunk, 'bytes'> & { text: string })[] = []
  for await (const piece of csvChunks(piecesOf(text, size), { rows, bytes: 1 << 20 })) {
    if (piece.kind === 'header') out.push(piece)
    else {
      const { bytes, ...rest } = piece
      expect(bytes.byteOffset).toBe(0)
      expect(bytes.buffer.byteLength).toBe(bytes.byteLength)
      out.push({ ...rest, text: Buffer.from(bytes).toString() })
    }
  }
  return out
}

describe('csvChunks', () => {
  it('cuts at record ends outside quotes: quoted line ends stay inside a record, CRLF split across reads', async () => {
    const text = '\ufeffid,"no\nte"\r\n1,"a\r\nb"\r\n2,x\ny\r\n3,""""\r\n4,last'
    const chunks = await cut(text, 1, 2)
    expect(chunks).toEqual([
      { kind: 'header', columns: ['id', 'no\nte'], eol: 'crlf' },
      { kind: 'records', firstLine: 3, firstRow: 0, records: 2, text: '1,"a\r\nb"\r\n2,x\ny\r\n' },
      { kind: 'records', firstLine: 7, firstRow: 2, records: 2, text: '3,""""\r\n4,last' },
    ])
  })

  it('cuts the same chunks whatever the read sizes (property)', async () => {
    const cell = fc.string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r\n', 'é'), maxLength: 5 }).map((t) => (/[",\r\n]/.test(t) ? `"${t.replaceAll('"', '""')}"` : t))
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell), { minLength: 1, maxLength: 20 }), fc.constantFrom('\n', '\r\n'), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 5 }), async (records, eol, size, rows) => {
        const text = `a,b${eol}${records.map(([x, y]) => `${x},${y}`).join(eol)}${eol}`
        expect(await cut(text, size, rows)).toEqual(await cut(text, text.length, rows))
      }),
      { numRuns: 200 },
    )
  })

  it('refuses a quote inside an unquoted field and a bare CR line end, naming the line', async () => {
    await expect(cut('id\n1\n2a"b\n', 3, 10)).rejects.toMatchObject({ code: 'InvalidArgument', context: { line: 3 } })
    await expect(cut('id\r1\r', 3, 10)).rejects.toMatchObject({ code: 'InvalidArgument', context: { line: 1 } })
  })
})
