// appendNdjson: NDJSON bytes parsed, coerced and encoded in the encoder (workers), not on the calling
// thread. The table it writes equals the row route's (appendRows of the lines NdjsonSource parses) for
// every type NDJSON can hold, nulls and exact numbers included; errors name the line and leave the
// table as it was.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import type { StructType } from '@lake/core'
import { MemoryStore } from '@lake/storage'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { appendNdjson, appendRows, parseRecordLine, WorkerPoolEncoder } from '../src/index.js'
import { tempDir } from './temp-dir.js'
import { parquetFiles, rowsOf } from './table-rows.js'

const f = (name: string, type: unknown) => ({ name, type, nullable: true, metadata: {} })
const p = (name: string) => ({ kind: 'primitive', name })
const SCHEMA = {
  kind: 'struct',
  fields: [
    f('id', p('long')), f('big', p('long')), f('n', p('integer')), f('s', p('short')), f('b', p('byte')), f('x', p('double')), f('fl', p('float')),
    f('d38', { kind: 'decimal', precision: 38, scale: 10 }), f('d5', { kind: 'decimal', precision: 5, scale: 2 }), f('name', p('string')), f('ok', p('boolean')),
    f('day', p('date')), f('at', p('timestamp')), f('local', p('timestamp_ntz')),
    f('st', { kind: 'struct', fields: [f('x', p('long')), f('s', p('string'))] }),
    f('arr', { kind: 'array', elementType: p('long'), containsNull: true }),
    f('m', { kind: 'map', keyType: p('string'), valueType: p('double'), valueContainsNull: true }),
  ],
} as StructType

const INT64 = { min: -(2n ** 63n), max: 2n ** 63n - 1n }
const decimal = (digits: bigint, scale: number): string => {
  const text = (digits < 0n ? -digits : digits).toString().padStart(scale + 1, '0')
  return `${digits < 0n ? '-' : ''}${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`
}
const finite = (x: number): string => JSON.stringify(x)
const date = fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
const long = fc.bigInt(INT64).map(String)
/** JSON text of each column but id: a value, `null`, or left out (undefined). */
const COLUMNS: Record<string, fc.Arbitrary<string>> = {
  big: long,
  n: fc.integer().map(String),
  s: fc.integer({ min: -32768, max: 32767 }).map(String),
  b: fc.integer({ min: -128, max: 127 }).map(String),
  x: fc.double({ noNaN: true, noDefaultInfinity: true }).map(finite),
  fl: fc.float({ noNaN: true, noDefaultInfinity: true }).map(finite),
  d38: fc.bigInt({ min: -(10n ** 38n) + 1n, max: 10n ** 38n - 1n }).map((d) => decimal(d, 10)),
  d5: fc.bigInt({ min: -99999n, max: 99999n }).map((d) => decimal(d, 2)),
  name: fc.string({ unit: 'grapheme' }).map((s) => JSON.stringify(s)),
  ok: fc.boolean().map(String),
  day: date.map((d) => JSON.stringify(d.toISOString().slice(0, 10))),
  at: date.map((d) => JSON.stringify(d.toISOString())),
  local: date.map((d) => JSON.stringify(d.toISOString().slice(0, 23))),
  st: fc.tuple(fc.option(long, { nil: 'null' }), fc.option(fc.string().map((s) => JSON.stringify(s)), { nil: 'null' })).map(([x, s]) => `{"x":${x},"s":${s}}`),
  arr: fc.array(fc.option(long, { nil: 'null' }), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
  m: fc.dictionary(fc.string({ maxLength: 4 }), fc.double({ noNaN: true, noDefaultInfinity: true }).map(finite), { maxKeys: 3 }).map((o) => `{${Object.entries(o).map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`),
}
const record = fc.record(Object.fromEntries(Object.entries(COLUMNS).map(([k, v]) => [k, fc.option(fc.option(v, { nil: 'null' }), { nil: undefined })])))

function linesOf(records: readonly Record<string, string | undefined>[]): string[] {
  return records.map((r, id) => `{"id":${id}${Object.entries(r).filter(([, v]) => v !== undefined).map(([k, v]) => `,"${k}":${v}`).join('')}}`)
}

async function* bytesOf(text: string, size = 4096): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text)
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size)
}

describe('appendNdjson', () => {
  it('writes what the row route writes, for every type, nulls and exact int64/decimal(38) (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(record, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 12 }), async (records, chunkRows) => {
        const lines = linesOf(records)
        const byRows = new MemoryStore()
        await appendRows(byRows, lines.map((l) => parseRecordLine(l, SCHEMA)), { schema: SCHEMA, encoders: 0, chunkRows })
        const byLines = new MemoryStore()
        const result = await appendNdjson(byLines, bytesOf(`${lines.join('\n')}\n`, 97), { schema: SCHEMA, encoders: 0, chunkRows })
        expect(result).toMatchObject({ status: 'committed', metrics: { rows: lines.length } })
        expect(await rowsOf(byLines)).toEqual(await rowsOf(byRows))
      }),
      { numRuns: 60 },
    )
  }, 120_000)

  it('the flat fast path writes what the row route writes: escapes, key order and case, spacing, numbers written as doubles (property)', async () => {
    const schema = { kind: 'struct', fields: SCHEMA.fields.filter((x) => ['id', 'big', 'n', 's', 'b', 'x', 'fl', 'name', 'ok'].includes(x.name)) } as StructType
    const escaped = fc.string({ unit: 'grapheme' }).map((t) => JSON.stringify(t).replace(/[é\u00a0a]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
    const flat: Record<string, fc.Arbitrary<string>> = {
      big: fc.oneof(long, fc.integer().map((i) => `${i}.0`), fc.constant('-0')),
      n: fc.oneof(COLUMNS['n'] as fc.Arbitrary<string>, fc.integer({ min: -1000, max: 1000 }).map((i) => `${i}.00`)),
      s: COLUMNS['s'] as fc.Arbitrary<string>,
      b: COLUMNS['b'] as fc.Arbitrary<string>,
      x: fc.oneof(COLUMNS['x'] as fc.Arbitrary<string>, fc.integer().map((i) => `${i}.0`), fc.integer().map((i) => `${i}e2`), fc.constant('123456789012345.67'), fc.constant('0.1')),
      fl: COLUMNS['fl'] as fc.Arbitrary<string>,
      name: fc.oneof(COLUMNS['name'] as fc.Arbitrary<string>, escaped),
      ok: COLUMNS['ok'] as fc.Arbitrary<string>,
    }
    const entry = fc.tuple(fc.constantFrom(...Object.keys(flat)), fc.constantFrom('', ' ', '\t'), fc.boolean())
    const line = fc.tuple(fc.uniqueArray(entry, { selector: ([k]) => k, maxLength: 8 }), fc.array(fc.string(), { maxLength: 0 })).chain(([entries]) =>
      fc.tuple(...entries.map(([k, space, upper]) => fc.option(flat[k] as fc.Arbitrary<string>, { nil: 'null' }).map((v) => `${space}"${upper && k === 'name' ? 'NAME' : k}"${space}:${space}${v}${space}`))),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 12 }), async (records, chunkRows) => {
        const lines = records.map((fields, id) => `{"id":${id}${fields.map((x) => `,${x}`).join('')}}`)
        const byRows = new MemoryStore()
        await appendRows(byRows, lines.map((l) => parseRecordLine(l, schema)), { schema, encoders: 0, chunkRows })
        const byLines = new MemoryStore()
        await appendNdjson(byLines, bytesOf(`${lines.join('\r\n')}\n`, 61), { schema, encoders: 0, chunkRows })
        expect(await rowsOf(byLines)).toEqual(await rowsOf(byRows))
      }),
      { numRuns: 100 },
    )
  }, 120_000)

  it('the flat fast path skips a byte order mark and blank lines, takes CRLF and a last line without newline, and falls back line by line', async () => {
    const schema = { kind: 'struct', fields: [f('id', p('long')), f('name', p('string'))] } as StructType
    const store = new MemoryStore()
    const text = '\ufeff{"id":1,"name":"a"}\r\n\r\n  \n{"id":2,"name":"b\\u00e9"}\n{"id":3}'
    await appendNdjson(store, bytesOf(text, 5), { schema, encoders: 0 })
    expect(await rowsOf(store)).toEqual([{ id: 1n, name: 'a' }, { id: 2n, name: 'bé' }, { id: 3n, name: null }])
  })

  it('parses in worker threads: chunks land as files, big numbers exact, partitioned through the row encoder', async () => {
    const schema = { kind: 'struct', fields: [f('id', p('long')), f('day', p('string')), f('amount', { kind: 'decimal', precision: 38, scale: 2 })] } as StructType
    const lines = Array.from({ length: 1000 }, (_, i) => `{"id":${9007199254740993n + BigInt(i)},"day":"d${i % 3}","amount":123456789012345678901234567890123456.${String(i % 100).padStart(2, '0')}}`)
    for (const partitionBy of [[], ['day']]) {
      const store = new MemoryStore()
      await appendNdjson(store, bytesOf(`${lines.join('\n')}\n`), { schema, partitionBy, encoders: 2, chunkRows: 300 })
      const rows = await rowsOf(store)
      expect(rows).toHaveLength(1000)
      expect(rows[999]).toEqual({ id: 9007199254740993n + 999n, day: 'd0', amount: '123456789012345678901234567890123456.99' })
      expect(await parquetFiles(store)).toBe(partitionBy.length === 0 ? 4 : 12)
    }
  }, 60_000)

  it('reads a file straight into chunk buffers that the workers hand back: the rows of the stream route, in worker threads and inline', async () => {
    const schema = { kind: 'struct', fields: [f('id', p('long')), f('name', p('string'))] } as StructType
    const text = `\ufeff${Array.from({ length: 2000 }, (_, i) => (i % 7 === 3 ? '  \r\n' : `{"id":${i},"name":"n${i % 13}"}\n`)).join('')}{"id":2000}`
    const path = join(tempDir('lake-ndjson-file-'), 'in.ndjson')
    writeFileSync(path, text)
    const byStream = new MemoryStore()
    await appendNdjson(byStream, bytesOf(text, 333), { schema, encoders: 0, chunkRows: 170, chunkBytes: 2000 })
    for (const encoders of [0, 2]) {
      const byFile = new MemoryStore()
      const result = await appendNdjson(byFile, { path }, { schema, encoders, chunkRows: 170, chunkBytes: 2000 })
      expect(result.metrics.rows).toBe(1715)
      expect(await rowsOf(byFile)).toEqual(await rowsOf(byStream))
    }
  }, 60_000)

  it('stops a file append with Aborted when the signal fires after a file is written, committing nothing', async () => {
    const schema = { kind: 'struct', fields: [f('id', p('long'))] } as StructType
    const path = join(tempDir('lake-ndjson-abort-'), 'in.ndjson')
    writeFileSync(path, Array.from({ length: 5000 }, (_, i) => `{"id":${i}}\n`).join(''))
    const controller = new AbortController()
    const store = new MemoryStore()
    const append = appendNdjson(store, { path }, { schema, encoders: 0, chunkRows: 500, signal: controller.signal, onEvent: (e) => e.type === 'fileWritten' && controller.abort() })
    await expect(append).rejects.toMatchObject({ name: 'IngestError', code: 'Aborted', context: { method: 'appendNdjson' } })
    expect(await parquetFiles(store)).toBe(0)
    await expect(DeltaTable.open(store)).rejects.toMatchObject({ code: 'TableNotFound' })
  })

  it('a worker moves the chunk\'s ArrayBuffer back with its result (not a copy held anywhere else)', async () => {
    const encoder = new WorkerPoolEncoder(1)
    try {
      const schema = { kind: 'struct', fields: [f('id', p('long'))] } as StructType
      const bytes = new Uint8Array(new ArrayBuffer(64))
      bytes.set(Buffer.from('{"id":1}\n{"id":2}\n'))
      const handed: ArrayBuffer[] = []
      const files = await encoder.encodeLines({ kind: 'lines', bytes: bytes.subarray(0, 18), firstLine: 1, firstRow: 0, atStart: true, schema, partitionColumns: [] }, undefined, (b) => handed.push(b))
      expect(files.map((file) => file.numRecords)).toEqual([2])
      expect(bytes.byteLength).toBe(0)
      expect(handed.map((b) => b.byteLength)).toEqual([64])
      expect(Buffer.from(handed[0] as ArrayBuffer, 0, 18).toString()).toBe('{"id":1}\n{"id":2}\n')
    } finally {
      await encoder.close()
    }
  }, 60_000)

  it('names the line of a value its column refuses and leaves the table as it was', async () => {
    const store = new MemoryStore()
    await appendNdjson(store, bytesOf('{"id":0}\n'), { schema: { kind: 'struct', fields: [f('id', p('long'))] } as StructType, encoders: 0 })
    const bad = appendNdjson(store, bytesOf('{"id":1}\n\n{"id":2}\n{"id":"bad"}\n'), { encoders: 0, chunkRows: 2 })
    await expect(bad).rejects.toMatchObject({ name: 'SchemaError', code: 'SchemaMismatch', context: { column: 'id', line: 4, row: 2 } })
    await expect(bad).rejects.toThrow(/found string "bad" \(not an integer string\) on line 4$/)
    expect((await DeltaTable.open(store)).version).toBe(0)
    expect(await parquetFiles(store)).toBe(1)
  })

  it.each([
    ['invalid JSON', '{"id":1}\n\n{"id":\n', { line: 3, record: 'InvalidJson' }, 'IngestError', 'InvalidArgument'],
    ['not an object', '{"id":1}\n[1]\n', { line: 2, record: 'NotAnObject' }, 'IngestError', 'InvalidArgument'],
    ['invalid UTF-8', '{"id":1}\n{"id":2,"s":"\xff"}\n', { line: 2, record: 'InvalidUtf8' }, 'IngestError', 'InvalidArgument'],
    ['a fraction in a long column', '{"id":1.5}\n', { line: 1, record: 'SchemaMismatch' }, 'SchemaError', 'SchemaMismatch'],
  ])('a line that is not a record (%s) fails naming it; a new table is not created', async (_, text, context, name, code) => {
    const store = new MemoryStore()
    const schema = { kind: 'struct', fields: [f('id', p('long')), f('s', p('string'))] } as StructType
    const bytes = async function* (): AsyncGenerator<Uint8Array> {
      yield Buffer.from(text, 'latin1')
    }
    await expect(appendNdjson(store, bytes(), { schema, encoders: 0 })).rejects.toMatchObject({ name, code, context })
    expect(await (await DeltaTable.open(store).catch(() => undefined))?.version).toBeUndefined()
    expect(await parquetFiles(store)).toBe(0)
  })

  it('refuses a new table without a schema, and a line over maxLineBytes', async () => {
    await expect(appendNdjson(new MemoryStore(), bytesOf('{"id":1}\n'))).rejects.toMatchObject({ code: 'InvalidArgument', context: { option: 'schema' } })
    const schema = { kind: 'struct', fields: [f('id', p('long'))] } as StructType
    await expect(appendNdjson(new MemoryStore(), bytesOf('{"id":1}\n{"id":22}\n'), { schema, encoders: 0, maxLineBytes: 8 })).rejects.toMatchObject({
      code: 'InvalidArgument',
      context: { line: 2, maxLineBytes: 8 },
    })
  })
})
