// NDJSON numbers stay exact from the text to the table: integers beyond 2^53 into long columns,
// many-digit fractions into decimal columns; through NdjsonSource, runIngestJob and appendRows.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { JsonNumber, parseLosslessJson } from '@lake/core/internal'
import type { StructType } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import { appendRows, NdjsonSource, parseExactJson, parseJsonExact, runIngestJob } from '../src/index.js'
import type { DeadLetter, SourceRecord } from '../src/index.js'
import { tempDir } from './temp-dir.js'

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} },
    { name: 'amount', type: { kind: 'decimal', precision: 38, scale: 2 }, nullable: true, metadata: {} },
    { name: 'ratio', type: { kind: 'primitive', name: 'double' }, nullable: true, metadata: {} },
    {
      name: 'nested',
      type: { kind: 'struct', fields: [{ name: 'big', type: { kind: 'array', elementType: { kind: 'primitive', name: 'long' }, containsNull: true }, nullable: true, metadata: {} }] },
      nullable: true,
      metadata: {},
    },
  ],
}

const LINES = [
  '{"id": 9007199254740993, "amount": 12345678901234567.89, "ratio": 0.1000000000000000055511151231257827, "nested": {"big": [9223372036854775807]}}',
  '{"id": -9007199254740995, "amount": 1.5e3, "ratio": 2.5, "nested": null}',
  '{"id": 7, "amount": 0.01, "ratio": 1e-7, "nested": {"big": []}}',
]

const EXPECTED = [
  { id: 9007199254740993n, amount: '12345678901234567.89', ratio: 0.1, nested: { big: [9223372036854775807n] } },
  { id: -9007199254740995n, amount: '1500.00', ratio: 2.5, nested: null },
  { id: 7n, amount: '0.01', ratio: 1e-7, nested: { big: [] } },
]

function file(lines: readonly string[]): string {
  const path = join(tempDir('lake-exact-'), 'in.ndjson')
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

async function readAll(source: NdjsonSource, schema?: StructType): Promise<SourceRecord[]> {
  const out: SourceRecord[] = []
  const start = await source.initialOffset()
  for await (const r of source.read(start, await source.latestOffset(start, undefined), { schema })) out.push(r)
  return out
}

async function tableRows(store: MemoryStore): Promise<Record<string, unknown>[]> {
  const rows = await (await DeltaTable.open(store)).toArray()
  return rows.sort((a, b) => Number(a['id']) - Number(b['id'])).map((r) => ({ ...r }))
}

const byId = <T extends { id: bigint }>(rows: readonly T[]): T[] => [...rows].sort((a, b) => Number(a.id - b.id))

describe('NdjsonSource exact numbers', () => {
  it('reads integers beyond 2^53 and many-digit decimals exactly against the table schema', async () => {
    const records = await readAll(new NdjsonSource({ path: file(LINES) }), SCHEMA)
    expect(records.map((r) => (r.kind === 'record' ? r.value : r))).toEqual([
      { id: 9007199254740993n, amount: '12345678901234567.89', ratio: 0.1, nested: { big: [9223372036854775807n] } },
      { id: -9007199254740995n, amount: '1500', ratio: 2.5, nested: null },
      // An exponent (1e-7) sends the line through the exact parser: every number becomes its column's exact value.
      { id: 7n, amount: '0.01', ratio: 1e-7, nested: { big: [] } },
    ])
  })

  it('keeps integers beyond 2^53 exact as bigint without a schema', async () => {
    const records = await readAll(new NdjsonSource({ path: file(['{"n": 123456789012345678901, "f": 1.25}']) }))
    expect(records).toMatchObject([{ kind: 'record', value: { n: 123456789012345678901n, f: 1.25 } }])
  })

  it('rejects a fraction in a long column with a message about the file value, not about bigint', async () => {
    const records = await readAll(new NdjsonSource({ path: file(['{"id": 1.5}', '{"id": 12345678901234567.5}']) }), SCHEMA)
    expect(records).toMatchObject([
      { kind: 'invalid', code: 'SchemaMismatch', position: 1, raw: '{"id": 1.5}' },
      { kind: 'invalid', code: 'SchemaMismatch', position: 2 },
    ])
    for (const r of records) {
      expect(r.kind === 'invalid' ? r.message : '').toMatch(/column 'id' expects long.*found 1(2345678901234567)?\.5/)
      expect(r.kind === 'invalid' ? r.message : '').not.toMatch(/bigint/)
    }
  })

  it('treats a "__proto__" key as an ordinary unknown column', async () => {
    const records = await readAll(new NdjsonSource({ path: file(['{"__proto__": {"id": 12345678901234567890}, "amount": 1}']) }), SCHEMA)
    const value = records[0]?.kind === 'record' ? (records[0].value as Record<string, unknown>) : {}
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype)
    expect(value['id']).toBeUndefined()
    expect(Object.keys(value)).toEqual(['__proto__', 'amount'])
  })
})

describe('exact numbers into a table', () => {
  it('land exactly through runIngestJob', async () => {
    const store = new MemoryStore()
    const letters: DeadLetter[] = []
    await runIngestJob({ table: store, appId: 'job', schema: SCHEMA, source: new NdjsonSource({ path: file(LINES) }), encoders: 0, deadLetters: { write: async (l) => void letters.push(...l) } })
    expect(letters).toEqual([])
    expect(byId((await tableRows(store)) as never)).toEqual(byId(EXPECTED))
  })

  it('land exactly through appendRows given rows of JsonNumbers (in worker threads)', async () => {
    const store = new MemoryStore()
    await DeltaTable.create(store, { schema: SCHEMA })
    const rows = LINES.map((l) => parseLosslessJson(l))
    expect((rows[0] as Record<string, unknown>)['id']).toBeInstanceOf(JsonNumber)
    await appendRows(store, rows, { encoders: 1 })
    expect(byId((await tableRows(store)) as never)).toEqual(byId(EXPECTED))
  })

  it('fails appendRows with a SchemaError naming the column when a JsonNumber does not fit', async () => {
    const store = new MemoryStore()
    await DeltaTable.create(store, { schema: SCHEMA })
    await expect(appendRows(store, [parseLosslessJson('{"id": 2.5}')], { encoders: 0 })).rejects.toMatchObject({ code: 'SchemaMismatch', message: expect.stringMatching(/column 'id' expects long.*found 2\.5/) })
  })
})

describe('parseJsonExact', () => {
  it('returns numbers a double holds exactly as numbers, big integers as bigint, other numbers as JsonNumber', () => {
    const value = parseJsonExact('{"a": 0.30000000000000004, "b": 12345678901234567.89, "c": 9007199254740993, "d": [1.5, "x\\"y\\u00e9"], "e": 1e-400}') as Record<string, unknown>
    expect(value['a']).toBe(0.30000000000000004)
    expect(value['b']).toEqual(new JsonNumber('12345678901234567.89'))
    expect(value['c']).toBe(9007199254740993n)
    expect(value['d']).toEqual([1.5, 'x"yé'])
    expect(value['e']).toEqual(new JsonNumber('1e-400'))
  })

  it.each([['{"a": 1,}'], ['{"a": 01}'], ['{"a": "\u0001"}'], ['[1, 2'], ['{"a": 12345678901234567 x}'], ['"\\q"']])('rejects malformed JSON %s with a typed error', (text) => {
    expect(() => parseJsonExact(text)).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
    expect(() => parseExactJson(text)).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: expect.stringMatching(/invalid JSON at position \d+: expected .*, found/) }))
  })
})
