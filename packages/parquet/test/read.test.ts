// readParquetRows behaviour: batching, ranged reads, projection, missing columns, field ids, widening,
// legacy list/map layouts (hand-written Dremel levels through our level assembler) and Spark-written golden files vs DuckDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { getMaxDefinitionLevel, getMaxRepetitionLevel, getSchemaPath } from 'hyparquet/src/schema.js'
import type { SchemaElement } from 'hyparquet'
import { asyncBufferFromBytes, encodeParquet, readParquetMetadata, readParquetRows } from '../src/index.js'
import type { AsyncBuffer, DataType, Row, StructType, Value } from '../src/index.js'
import { findChild, parquetTree } from '../src/parquet-tree.js'
import { planType } from '../src/read-plan.js'
import { LevelAssembler } from '../src/level-assembler.js'
import { array, field, map, normaliseDuckRows, normaliseRows, openDuck, P, parseSchema, readAll, struct } from './helpers.js'
import type { Duck } from './helpers.js'

const SCHEMA = struct(
  field('a', P('integer')),
  field('s', struct(field('x', P('string')), field('y', P('long')))),
  field('big', P('string')),
)
const ROWS: Row[] = Array.from({ length: 8000 }, (_, i) => ({ a: i, s: { x: `x${i % 3}`, y: BigInt(i) }, big: `${i}`.padEnd(100, 'y') }))
const FILE = encodeParquet(ROWS, SCHEMA, { compression: 'uncompressed', rowGroupSize: 3000 }).bytes

function counting(file: AsyncBuffer): { file: AsyncBuffer; reads: [number, number][] } {
  const reads: [number, number][] = []
  return {
    reads,
    file: {
      byteLength: file.byteLength,
      slice: (start, end) => {
        reads.push([start, end ?? file.byteLength])
        return file.slice(start, end)
      },
    },
  }
}

async function collect(iterable: AsyncIterable<Row[]>): Promise<Row[][]> {
  const out: Row[][] = []
  for await (const batch of iterable) out.push(batch)
  return out
}

describe('readParquetRows', () => {
  it('yields one batch per row group, or batches of batchRows', async () => {
    expect((await collect(readParquetRows(asyncBufferFromBytes(FILE), SCHEMA))).map(b => b.length)).toEqual([3000, 3000, 2000])
    const small = await collect(readParquetRows(asyncBufferFromBytes(FILE), SCHEMA, { batchRows: 1250 }))
    expect(small.map(b => b.length)).toEqual([1250, 1250, 500, 1250, 1250, 500, 1250, 750])
    expect(small.flat()).toEqual(ROWS)
  })

  it('fetches only the footer and the chunks of the selected columns', async () => {
    const { file, reads } = counting(asyncBufferFromBytes(FILE))
    const rows = (await collect(readParquetRows(file, SCHEMA, { columns: ['a'] }))).flat()
    expect(rows).toEqual(ROWS.map(r => ({ a: r.a })))
    const fetched = reads.reduce((sum, [s, e]) => sum + e - s, 0)
    expect(reads).toHaveLength(2 + 3) // the footer, the first 4 bytes (the file is over 512 KiB: the footer read misses its magic), a chunk per row group
    expect(fetched).toBeLessThan(FILE.byteLength * 0.75)
  })

  it('reads schema columns missing from the file, also nested ones, as null', async () => {
    const wider = struct(
      field('a', P('integer')),
      field('s', struct(field('x', P('string')), field('y', P('long')), field('z', P('date')))),
      field('gone', P('long')),
    )
    const [first] = await readAll(FILE, wider, { batchRows: 1 })
    expect(first).toEqual({ a: 0, s: { x: 'x0', y: 0n, z: null }, gone: null })
  })

  it('reads a struct whose fields are all missing from the file as an object of nulls, or null', async () => {
    const schema = struct(field('s', struct(field('x', P('string')))), field('l', array(P('integer'))))
    const rows: Row[] = [{ s: { x: 'a' }, l: [1] }, { s: null, l: null }, { s: { x: null }, l: [] }]
    const bytes = encodeParquet(rows, schema).bytes
    const other = struct(field('s', struct(field('q', P('long')))), field('l', array(P('void'))))
    expect(await readAll(bytes, other, { batchRows: 2 })).toEqual([{ s: { q: null }, l: [null] }, { s: null, l: null }, { s: { q: null }, l: [] }])
  })

  it('reads nested lists, maps and structs with nulls and empties across row groups and batches', async () => {
    const inner = struct(field('k', P('string')), field('v', array(P('long'))))
    const schema = struct(
      field('id', P('integer'), false),
      field('m', map(P('string'), array(inner))),
      field('ll', array(array(P('string')))),
      field('b', P('binary')),
    )
    const rows: Row[] = Array.from({ length: 50 }, (_, i) => ({
      id: i,
      m: i % 5 === 0 ? null : new Map(Array.from({ length: i % 3 }, (_x, j) => [`k${j}`, j === 1 ? null : [{ k: i % 2 ? null : `s${i}`, v: i % 4 ? [BigInt(i), null] : [] }, null]])),
      ll: i % 7 === 0 ? null : [[], null, Array.from({ length: i % 4 }, (_x, j) => (j === 2 ? null : `e${j % 2}`))],
      b: i % 6 === 0 ? null : new Uint8Array([i % 3, 1]),
    }))
    const bytes = encodeParquet(rows, schema, { rowGroupSize: 16 }).bytes
    const read = await readAll(bytes, schema, { batchRows: 7 })
    expect(read).toEqual(rows)
    expect(read[1]?.['b']).not.toBe(read[4]?.['b']) // equal binary values are distinct copies
  })

  it('round-trips columns and struct fields named __proto__ or like numbers as own properties, in schema order', async () => {
    const schema = struct(field('__proto__', P('integer')), field('b', struct(field('2', P('string')), field('1', P('string')))), field('10', P('integer')))
    const row = JSON.parse('{"__proto__": 1, "b": {"2": "two", "1": "one"}, "10": 10}') as Row
    const [read] = await readAll(encodeParquet([row], schema).bytes, schema)
    expect(Object.getPrototypeOf(read)).toBe(Object.prototype)
    expect(Object.keys(read as Row)).toEqual(Object.keys(row))
    expect(Object.keys((read as Row)['b'] as Row)).toEqual(['1', '2'])
    expect(read).toEqual(row)
  })

  it('rejects an unknown column name and a type the file cannot hold', async () => {
    await expect(readAll(FILE, SCHEMA, { columns: ['nope'] })).rejects.toMatchObject({ code: 'ParquetError' })
    await expect(readAll(FILE, struct(field('a', P('date'))))).rejects.toThrow(/column 'a'.*date.*INT32/)
    await expect(readAll(FILE, struct(field('s', P('string'))))).rejects.toMatchObject({ code: 'ParquetError' })
    await expect(readAll(FILE, struct(field('big', array(P('string')))))).rejects.toMatchObject({ code: 'ParquetError' })
  })

  it('matches fields by Parquet field_id in id mode and by name otherwise', async () => {
    const written = struct(field('col-a', P('integer'), true, { 'delta.columnMapping.id': 1 }), field('col-b', P('string'), true, { 'delta.columnMapping.id': 2 }))
    const bytes = encodeParquet([{ 'col-a': 1, 'col-b': 'b' }], written, { fieldIds: true }).bytes
    const renamed = struct(field('renamed', P('string'), true, { 'delta.columnMapping.id': 2 }), field('col-a', P('integer'), true, { 'delta.columnMapping.id': 9 }))
    expect(await readAll(bytes, renamed, { matchBy: 'id' })).toEqual([{ renamed: 'b', 'col-a': null }])
    expect(await readAll(bytes, renamed)).toEqual([{ renamed: null, 'col-a': 1 }])
  })

  it('widens int to long, float to double and date to timestamp_ntz, and rescales decimals', async () => {
    const schema = struct(field('i', P('integer')), field('f', P('float')), field('d', P('date')), field('dec', { kind: 'decimal', precision: 5, scale: 2 }))
    const bytes = encodeParquet([{ i: -5, f: 1.5, d: '1969-12-31', dec: '-1.25' }], schema).bytes
    const wide = struct(field('i', P('long')), field('f', P('double')), field('d', P('timestamp_ntz')), field('dec', { kind: 'decimal', precision: 10, scale: 4 }))
    expect(await readAll(bytes, wide)).toEqual([{ i: -5n, f: 1.5, d: '1969-12-31T00:00:00.000000', dec: '-1.2500' }])
  })

  it('stops with an Aborted error when the signal is aborted', async () => {
    const controller = new AbortController()
    const iterator = readParquetRows(asyncBufferFromBytes(FILE), SCHEMA, { signal: controller.signal })[Symbol.asyncIterator]()
    await iterator.next()
    controller.abort()
    await expect(iterator.next()).rejects.toMatchObject({ code: 'Aborted' })
  })

  it('reports a non-Parquet file as a ParquetError', async () => {
    const junk = asyncBufferFromBytes(new TextEncoder().encode('not a parquet file at all'))
    await expect(readParquetMetadata(junk)).rejects.toMatchObject({ code: 'ParquetError' })
  })
})

interface Leaf {
  readonly path: string[]
  readonly def: number[]
  readonly rep: number[]
  readonly values: unknown[]
}

/** Decode rows from hand-written Dremel levels through the level assembler. */
function decodeLevels(elements: SchemaElement[], type: DataType, leaves: Leaf[], rows: number): Value[] {
  const root = parquetTree(elements)
  const column = struct(field('c', type)).fields[0] as StructType['fields'][number]
  const node = findChild(root, column, 'name')
  if (!node) throw new Error('column c missing')
  const assembler = new LevelAssembler(root)
  const read = assembler.compile(planType(type, node, 'c', 'name'))
  const data = assembler.requests.map(request => {
    const leaf = leaves.find(l => l.path.join('.') === request.path.join('.'))
    if (!leaf) throw new Error(`no levels for ${request.path.join('.')}`)
    const schemaPath = getSchemaPath(elements, leaf.path)
    const values = leaf.values.map(v => (request.decode ? request.decode(v) : null))
    const maxRep = getMaxRepetitionLevel(schemaPath)
    return { def: leaf.def, rep: maxRep > 0 ? leaf.rep : undefined, values, length: leaf.def.length, maxDef: getMaxDefinitionLevel(schemaPath), maxRep }
  })
  const cursors = LevelAssembler.cursors(data)
  const out = Array.from({ length: rows }, () => read(cursors))
  LevelAssembler.checkConsumed(cursors, assembler.requests, rows)
  return out
}

describe('legacy list and map layouts', () => {
  it('reads a 2-level list of primitives (repeated leaf)', () => {
    const elements: SchemaElement[] = [
      { name: 'root', num_children: 1 },
      { name: 'c', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
      { name: 'array', repetition_type: 'REPEATED', type: 'INT32' },
    ]
    const leaf = { path: ['c', 'array'], def: [2, 2, 0, 1, 2], rep: [0, 1, 0, 0, 0], values: [1, 2, 3] }
    expect(decodeLevels(elements, array(P('integer'), false), [leaf], 4)).toEqual([[1, 2], null, [], [3]])
  })

  it('reads a 2-level list whose repeated group named array is the struct element', () => {
    const elements: SchemaElement[] = [
      { name: 'root', num_children: 1 },
      { name: 'c', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
      { name: 'array', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'x', repetition_type: 'OPTIONAL', type: 'INT32' },
    ]
    const leaf = { path: ['c', 'array', 'x'], def: [3, 2, 0], rep: [0, 1, 0], values: [7] }
    expect(decodeLevels(elements, array(struct(field('x', P('integer'))), false), [leaf], 2)).toEqual([[{ x: 7 }, { x: null }], null])
  })

  it('reads a 3-level list whose element is a one-field struct', () => {
    const elements: SchemaElement[] = [
      { name: 'root', num_children: 1 },
      { name: 'c', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', repetition_type: 'OPTIONAL', num_children: 1 },
      { name: 'x', repetition_type: 'OPTIONAL', type: 'INT32' },
    ]
    const leaf = { path: ['c', 'list', 'element', 'x'], def: [4, 2, 3, 1], rep: [0, 1, 1, 0], values: [7] }
    expect(decodeLevels(elements, array(struct(field('x', P('integer')))), [leaf], 2)).toEqual([[{ x: 7 }, null, { x: null }], []])
  })

  it('reads an unannotated repeated field as an array', () => {
    const elements: SchemaElement[] = [
      { name: 'root', num_children: 1 },
      { name: 'c', repetition_type: 'REPEATED', type: 'BYTE_ARRAY', converted_type: 'UTF8' },
    ]
    const values = [new TextEncoder().encode('a'), new TextEncoder().encode('b')]
    const leaf = { path: ['c'], def: [1, 1, 0], rep: [0, 1, 0], values }
    expect(decodeLevels(elements, array(P('binary'), false), [leaf], 2)).toEqual([values, []])
  })

  it('reads a MAP_KEY_VALUE map with a repeated group named map', () => {
    const elements: SchemaElement[] = [
      { name: 'root', num_children: 1 },
      { name: 'c', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'MAP_KEY_VALUE' },
      { name: 'map', repetition_type: 'REPEATED', num_children: 2 },
      { name: 'key', repetition_type: 'REQUIRED', type: 'INT32' },
      { name: 'value', repetition_type: 'OPTIONAL', type: 'INT64' },
    ]
    const keys = { path: ['c', 'map', 'key'], def: [2, 2, 0, 1], rep: [0, 1, 0, 0], values: [2, 1] }
    const vals = { path: ['c', 'map', 'value'], def: [3, 2, 0, 1], rep: [0, 1, 0, 0], values: [20n] }
    const expected = [new Map([[2, 20n], [1, null]]), null, new Map()]
    expect(decodeLevels(elements, map(P('integer'), P('long')), [keys, vals], 3)).toEqual(expected)
  })
})

/** The repository's golden tables (fixtures/golden, see its README.md). */
const GOLDEN = fileURLToPath(new URL('../../../fixtures/golden', import.meta.url))
const GOLDEN_TABLES = [
  'data-reader-primitives',
  'data-reader-nested-struct',
  'data-reader-map',
  'data-reader-array-complex-objects',
  'data-skipping-basic-stats-all-types',
  'decimal-various-scale-precision',
  'table-with-columnmapping-mode-name',
]

function goldenSchema(table: string): StructType {
  const log = readFileSync(join(GOLDEN, table, '_delta_log', '00000000000000000000.json'), 'utf8')
  const meta = log.split('\n').filter(Boolean).map(l => JSON.parse(l) as { metaData?: { schemaString: string; partitionColumns: string[] } }).find(a => a.metaData)?.metaData
  if (!meta) throw new Error(`no metaData in ${table}`)
  const schema = parseSchema(JSON.parse(meta.schemaString))
  const physicalType = (t: DataType): DataType => {
    if (t.kind === 'struct') return struct(...t.fields.map(physical))
    if (t.kind === 'array') return { ...t, elementType: physicalType(t.elementType) }
    if (t.kind === 'map') return { ...t, keyType: physicalType(t.keyType), valueType: physicalType(t.valueType) }
    return t
  }
  const physical = (f: StructType['fields'][number]): StructType['fields'][number] => {
    const name = (f.metadata['delta.columnMapping.physicalName'] as string | undefined) ?? f.name
    return { ...f, name, type: physicalType(f.type) }
  }
  return struct(...schema.fields.filter(f => !meta.partitionColumns.includes(f.name)).map(physical))
}

/** A value with struct field names dropped (structs become arrays of their values, in field order). */
function valuesOnly(value: Value): unknown {
  if (Array.isArray(value)) return value.map(valuesOnly)
  if (value instanceof Map) return [...value].map(([k, v]) => [valuesOnly(k), valuesOnly(v)])
  if (value !== null && typeof value === 'object' && !(value instanceof Uint8Array)) return Object.values(value).map(valuesOnly)
  return value
}

describe('Spark-written files (golden tables)', () => {
  let duck: Duck
  beforeAll(async () => {
    duck = await openDuck()
  })
  afterAll(() => duck.close())

  it.each(GOLDEN_TABLES)('reads %s exactly as DuckDB does', async table => {
    const schema = goldenSchema(table)
    const files = readdirSync(join(GOLDEN, table)).filter(f => f.endsWith('.parquet'))
    let total = 0
    for (const name of files) {
      const path = join(GOLDEN, table, name)
      const ours = await readAll(readFileSync(path), schema)
      const columns = schema.fields.map(f => `"${f.name}"`).join(', ')
      const theirs = await duck.rows(`SELECT ${columns} FROM read_parquet('${path}')`)
      total += ours.length
      expect(normaliseRows(ours, schema)).toEqual(normaliseDuckRows(theirs, schema))
    }
    expect(total).toBeGreaterThan(0)
  })

  it('reads the column-mapping id table by field_id under logical names', async () => {
    const table = 'table-with-columnmapping-mode-id'
    const physical = goldenSchema(table)
    const log = readFileSync(join(GOLDEN, table, '_delta_log', '00000000000000000000.json'), 'utf8')
    const schemaString = log.split('\n').filter(Boolean).map(l => JSON.parse(l) as { metaData?: { schemaString: string } }).find(a => a.metaData)?.metaData?.schemaString
    const logical = parseSchema(JSON.parse(schemaString as string))
    for (const name of readdirSync(join(GOLDEN, table)).filter(f => f.endsWith('.parquet'))) {
      const bytes = readFileSync(join(GOLDEN, table, name))
      const byId = await readAll(bytes, logical, { matchBy: 'id' })
      const byName = await readAll(bytes, physical)
      expect(byId.length).toBeGreaterThan(0)
      expect(byId.map(valuesOnly)).toEqual(byName.map(valuesOnly))
    }
  })
})
