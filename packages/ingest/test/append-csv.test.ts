// appendCsv: CSV bytes cut at record ends on the calling thread, then parsed, cast, coerced and
// encoded in the encoder (workers). The table it writes equals the row route's (appendRows of the
// records CsvSource reads, as `lake ingest` did) for random CSV: quoted fields with delimiters,
// quotes and line ends inside, CRLF, empty cells, unicode, int64 beyond 2^53, decimal(38), exact
// doubles. Errors name the line and leave the table as it was.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import type { StructType } from '@lake/core'
import { MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { appendCsv, appendRows, CsvSource } from '../src/index.js'
import { parquetFiles, rowsOf } from './table-rows.js'

const f = (name: string, type: unknown) => ({ name, type, nullable: true, metadata: {} })
const p = (name: string) => ({ kind: 'primitive', name })
const FLAT = [f('id', p('long')), f('big', p('long')), f('n', p('integer')), f('x', p('double')), f('name', p('string')), f('ok', p('boolean')), f('day', p('date')), f('at', p('timestamp')), f('fl', p('float'))]
const FLAT_SCHEMA = { kind: 'struct', fields: FLAT } as StructType
const FULL_SCHEMA = { kind: 'struct', fields: [...FLAT, f('d38', { kind: 'decimal', precision: 38, scale: 10 }), f('local', p('timestamp_ntz'))] } as StructType

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n }
const date = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
const decimal = (digits: bigint, scale: number): string => {
  const text = (digits < 0n ? -digits : digits).toString().padStart(scale + 1, '0')
  return `${digits < 0n ? '-' : ''}${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`
}
const tricky = fc.string({ unit: fc.constantFrom('a', 'Z', ',', ';', '"', '\n', '\r\n', '\r', ' ', 'é', '💥', '\t'), maxLength: 8 })
/** Cell text of each column but id. */
const CELLS: Record<string, fc.Arbitrary<string>> = {
  big: fc.oneof(fc.bigInt(INT64).map(String), fc.constantFrom('+5', '007', '-0', '9007199254740993')),
  n: fc.oneof(fc.integer().map(String), fc.constantFrom('+12', '-0')),
  x: fc.oneof(fc.double({ noNaN: true, noDefaultInfinity: true }).map(String), fc.constantFrom('1.50', '.5', '5.', '1E3', 'Infinity', '-Infinity', 'NaN', '123456789012345.67', '0.1', '-0')),
  name: fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), tricky),
  ok: fc.constantFrom('true', 'false', 'TRUE', 'False'),
  day: date.map((d) => d.toISOString().slice(0, 10)),
  at: date.map((d) => d.toISOString()),
  fl: fc.float({ noNaN: true, noDefaultInfinity: true }).map(String),
  d38: fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }).map((d) => decimal(d, 10)),
  local: date.map((d) => d.toISOString().slice(0, 23)),
}

/** A cell as CSV writes it: quoted when it must be (or when `quote`), doubled quotes inside. */
const quoted = (text: string, quote: boolean, delimiter: string): string => (quote || /["\r\n]/.test(text) || text.includes(delimiter) ? `"${text.replaceAll('"', '""')}"` : text)

/** A CSV text of some of the schema's columns (id first), with `eol` line ends and `delimiter`. */
function csvArbitrary(schema: StructType): fc.Arbitrary<{ text: string; chunkRows: number; piece: number; delimiter: string }> {
  const names = schema.fields.map((x) => x.name).filter((n) => n !== 'id')
  return fc.record({
    columns: fc.shuffledSubarray(names),
    eol: fc.constantFrom('\n', '\r\n'),
    delimiter: fc.constantFrom(',', ',', ';', '\t'),
    last: fc.boolean(),
    rows: fc.integer({ min: 1, max: 25 }),
    chunkRows: fc.integer({ min: 1, max: 10 }),
    piece: fc.integer({ min: 1, max: 97 }),
  }).chain(({ columns, eol, delimiter, last, rows, chunkRows, piece }) =>
    fc.array(fc.tuple(...columns.map((c) => fc.tuple(fc.option(CELLS[c] as fc.Arbitrary<string>, { nil: '' }), fc.boolean()))), { minLength: rows, maxLength: rows }).map((records) => {
      const lines = [['id', ...columns].join(delimiter), ...records.map((cells, id) => [String(id), ...cells.map(([t, q]) => quoted(t, q, delimiter))].join(delimiter))]
      return { text: lines.join(eol) + (last ? eol : ''), chunkRows, piece, delimiter }
    }),
  )
}

async function* bytesOf(text: string | Buffer, size = 4096): AsyncGenerator<Uint8Array> {
  const bytes = typeof text === 'string' ? Buffer.from(text) : text
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

/** The row route: every record CsvSource reads (cells cast to the schema), appended as rows. */
async function viaRows(store: ObjectStore, text: string, schema: StructType, chunkRows: number, delimiter: string): Promise<void> {
  const bytes = Buffer.from(text)
  const source = new CsvSource({ id: 'test', delimiter, open: (from, to) => bytesOf(bytes.subarray(from, to ?? bytes.length)) })
  const rows: unknown[] = []
  for await (const r of source.read(await source.initialOffset(), { line: Number.MAX_SAFE_INTEGER, byte: bytes.length }, { schema })) {
    if (r.kind === 'invalid') throw new Error(r.message)
    rows.push(r.value)
  }
  await appendRows(store, rows, { schema, encoders: 0, chunkRows })
}

describe('appendCsv', () => {
  it.each([
    ['flat, into the column builders', FLAT_SCHEMA],
    ['decimal(38) and timestamp_ntz, through rows in the worker', FULL_SCHEMA],
  ])('writes what the row route writes: quotes, delimiters (`,` `;` tab) and line ends in fields, CRLF, empty cells, unicode, exact numbers (%s; property)', async (_, schema) => {
    await fc.assert(
      fc.asyncProperty(csvArbitrary(schema), async ({ text, chunkRows, piece, delimiter }) => {
        const byRows = new MemoryStore()
        await viaRows(byRows, text, schema, chunkRows, delimiter)
        const byCsv = new MemoryStore()
        const result = await appendCsv(byCsv, bytesOf(text, piece), { schema, encoders: 0, chunkRows, delimiter })
        expect(result).toMatchObject({ status: 'committed' })
        expect(await rowsOf(byCsv)).toEqual(await rowsOf(byRows))
      }),
      { numRuns: 80 },
    )
  }, 180_000)

  it('parses in worker threads: chunks land as files, a BOM skipped, int64 beyond 2^53 exact', async () => {
    const schema = { kind: 'struct', fields: [f('id', p('long')), f('note', p('string'))] } as StructType
    const lines = Array.from({ length: 1000 }, (_, i) => `${9007199254740993n + BigInt(i)},"line ${i}\nsecond, ""quoted"""`)
    const store = new MemoryStore()
    const result = await appendCsv(store, bytesOf(`\ufeffid,note\r\n${lines.join('\r\n')}\r\n`, 1000), { schema, encoders: 2, chunkRows: 300 })
    expect(result).toMatchObject({ status: 'committed', metrics: { rows: 1000 } })
    const rows = await rowsOf(store)
    expect(rows[999]).toEqual({ id: 9007199254740993n + 999n, note: 'line 999\nsecond, "quoted"' })
    expect(await parquetFiles(store)).toBe(4)
  }, 60_000)

  it('names the line of a cell its column refuses and leaves the table as it was', async () => {
    const schema = { kind: 'struct', fields: [f('id', p('long')), f('s', p('string')), f('n', p('integer'))] } as StructType
    const store = new MemoryStore()
    await appendCsv(store, bytesOf('id,n\n0,0\n'), { schema, encoders: 0 })
    const cast = appendCsv(store, bytesOf('id,s,n\n1,"a\nb",5\n2,,x\n'), { encoders: 0, chunkRows: 1 })
    await expect(cast).rejects.toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: { column: 'n', line: 4, row: 1 } })
    await expect(cast).rejects.toThrow(/^line 4: column 'n' expects integer, found "x"$/)
    const range = appendCsv(store, bytesOf('id,n\n1,2\n2,3000000000\n'), { encoders: 0 })
    await expect(range).rejects.toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: { column: 'n', line: 3, row: 1 } })
    await expect(range).rejects.toThrow(/out of range -2147483648\.\.2147483647\) on line 3$/)
    expect((await DeltaTable.open(store)).version).toBe(0)
    expect(await parquetFiles(store)).toBe(1)
  })

  it.each([
    ['a record with too few cells', 'id,s\n1,a\n2\n', { line: 3, record: 'InvalidCsv' }, /^line 3: expected 2 cells, found 1$/],
    ['text after a closing quote', 'id,s\n1,"a"b\n', { line: 2, record: 'InvalidCsv' }, /^line 2: expected a well-formed CSV record, found text after the closing quote of field 2$/],
    ['an unclosed quote', 'id,s\n1,a\n2,"b\n', { line: 3, record: 'InvalidCsv' }, /not closed/],
    ['invalid UTF-8', 'id,s\n1,a\n2,\xff\n', { line: 3, record: 'InvalidUtf8' }, /^line 3: expected UTF-8 text/],
    ['a quote inside a field', 'id,s\n1,a\n2,b"c\n', { line: 3 }, /^line 3: expected a quote only at the start of a CSV field/],
    ['a bare CR line end', 'id,s\r1,a\r', { line: 1 }, /bare CR/],
    ['a repeated column', 'id,ID\n1,2\n', { column: 'ID' }, /twice/],
  ])('%s fails naming where; a new table is not created', async (_, text, context, message) => {
    const store = new MemoryStore()
    const schema = { kind: 'struct', fields: [f('id', p('long')), f('s', p('string'))] } as StructType
    const failed = appendCsv(store, bytesOf(Buffer.from(text, 'latin1')), { schema, encoders: 0 })
    await expect(failed).rejects.toMatchObject({ name: 'IngestError', code: 'InvalidArgument', context })
    await expect(failed).rejects.toThrow(message)
    expect(await DeltaTable.open(store).catch(() => undefined)).toBeUndefined()
    expect(await parquetFiles(store)).toBe(0)
  })

  it('refuses a new table without a schema, a record over maxLineBytes and a delimiter that cannot be one', async () => {
    await expect(appendCsv(new MemoryStore(), bytesOf('id\n1\n'))).rejects.toMatchObject({ code: 'InvalidArgument', context: { option: 'schema' } })
    const schema = { kind: 'struct', fields: [f('id', p('long')), f('s', p('string'))] } as StructType
    await expect(appendCsv(new MemoryStore(), bytesOf('id,s\n1,a\n2,"abcdefghij"\n', 3), { schema, encoders: 0, maxLineBytes: 8 })).rejects.toMatchObject({
      code: 'InvalidArgument',
      context: { line: 3, maxLineBytes: 8 },
    })
    await expect(appendCsv(new MemoryStore(), bytesOf('id\n1\n'), { schema, delimiter: '"' })).rejects.toMatchObject({ code: 'InvalidArgument', context: { option: 'delimiter' } })
  })
})
