// Ingest into column-mapped tables (delta.columnMapping.mode name and id): appendNdjson, appendCsv
// (in encoder workers) and an ingest job write data files with the physical names and field ids of
// the table's schema, as writeDelta does. A golden Spark table is copied, appended to, read back
// with lake, and its new files read with DuckDB's read_parquet by physical name. A job that adds a
// column (schemaPolicy 'evolve') gives it a field id and physical name and bumps
// `delta.columnMapping.maxColumnId` in the commit holding its data, as writeDelta's schemaMode 'merge' does.
import { cpSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import type { StructField } from '@lake/core'
import { decodeFilePath } from '@lake/core/internal'
import { appendCsv, appendNdjson, NdjsonSource, runIngestJob } from '../src/index.js'
import { useDuckDb } from '../../core/test/helpers/duckdb.js'
import { tempDir } from './temp-dir.js'

const GOLDEN = new URL('../../../fixtures/golden/', import.meta.url).pathname

const duckDb = useDuckDb()

async function duck(sql: string): Promise<Record<string, unknown>[]> {
  return (await duckDb().runAndReadAll(sql)).getRowObjectsJson()
}

/** A copy of the golden Spark table with `delta.columnMapping.mode` = `mode` (6 rows, LongType 0..5 or null). */
function goldenCopy(mode: string): string {
  const table = join(tempDir(`lake-cm-${mode}-`), 't')
  cpSync(join(GOLDEN, `table-with-columnmapping-mode-${mode}`), table, { recursive: true })
  return table
}

const bytesOf = (text: string): AsyncIterable<Uint8Array> => (async function* () { yield new TextEncoder().encode(text) })()
const lines = (ids: readonly number[]): string => ids.map((i) => JSON.stringify({ LongType: 100 + i, StringType: `s${i}`, nested_struct: { aa: `a${i}`, ac: { aca: i } } })).join('\n') + '\n'

const physical = (f: StructField): string => String(f.metadata['delta.columnMapping.physicalName'])
const fieldId = (f: StructField): number => Number(f.metadata['delta.columnMapping.id'])

/** The data files `table` added since `before` (paths relative to the table). */
async function newFiles(table: string, before: ReadonlySet<string>): Promise<string[]> {
  return (await DeltaTable.open(table)).files().map((a) => decodeFilePath(a.path)).filter((p) => !before.has(p))
}

/** Checks one file lake wrote: physical names with field ids in its Parquet schema, and its rows read by physical name. */
async function checkFile(table: string, path: string, schema: readonly StructField[]): Promise<string[]> {
  const field = (name: string): StructField => schema.find((f) => f.name === name) as StructField
  const [long, str, nested] = [field('LongType'), field('StringType'), field('nested_struct')]
  const sub = nested.type.kind === 'struct' ? nested.type.fields : []
  const aa = sub.find((f) => f.name === 'aa') as StructField
  const file = join(table, path).replaceAll("'", "''")
  const nodes = await duck(`SELECT name, field_id FROM parquet_schema('${file}')`)
  const ids = new Map(nodes.map((r) => [String(r['name']), Number(r['field_id'])]))
  for (const f of [long, str, nested, aa]) expect(ids.get(physical(f)), f.name).toBe(fieldId(f))
  for (const f of schema) expect(ids.has(f.name), f.name).toBe(false)
  const rows = await duck(`SELECT "${physical(long)}" AS l, "${physical(str)}" AS s, "${physical(nested)}"."${physical(aa)}" AS aa FROM read_parquet('${file}')`)
  return rows.map((r) => `${String(r['l'])}/${String(r['s'])}/${String(r['aa'])}`)
}

describe.each(['name', 'id'])('ingest into a golden Spark table with delta.columnMapping.mode = %s', (mode) => {
  it('appendNdjson and appendCsv (encoder workers) write physical names and field ids; lake and DuckDB read the rows', async () => {
    const table = goldenCopy(mode)
    const before = new Set((await DeltaTable.open(table)).files().map((a) => decodeFilePath(a.path)))
    const first = await appendNdjson(table, bytesOf(lines([1, 2, 3])), { encoders: 0 })
    expect(first).toMatchObject({ status: 'committed', version: 1 })
    const csv = 'LongType,StringType\n' + [4, 5].map((i) => `${100 + i},s${i}`).join('\n') + '\n'
    expect(await appendCsv(table, bytesOf(csv), { encoders: 1 })).toMatchObject({ status: 'committed', version: 2 })
    expect(await appendNdjson(table, bytesOf(lines([6])), { encoders: 1 })).toMatchObject({ status: 'committed', version: 3 })

    const snapshot = await DeltaTable.open(table)
    const rows = await snapshot.toArray()
    expect(rows).toHaveLength(6 + 6)
    const added = rows.filter((r) => Number(r['LongType']) >= 100).map((r) => `${String(r['LongType'])}/${String(r['StringType'])}/${String((r['nested_struct'] as Record<string, unknown> | null)?.['aa'] ?? null)}`)
    const expected = ['101/s1/a1', '102/s2/a2', '103/s3/a3', '104/s4/null', '105/s5/null', '106/s6/a6']
    expect(added.sort()).toEqual(expected)
    const files = await newFiles(table, before)
    expect(files.length).toBeGreaterThanOrEqual(3)
    const seen: string[] = []
    for (const path of files) seen.push(...(await checkFile(table, path, snapshot.schema.fields)))
    expect(seen.sort()).toEqual(expected)
  }, 60_000)

  it('an ingest job appends with physical names', async () => {
    const table = goldenCopy(mode)
    const dir = tempDir(`lake-cm-job-${mode}-`)
    const input = join(dir, 'in.ndjson')
    writeFileSync(input, lines([1, 2]))
    const before = new Set((await DeltaTable.open(table)).files().map((a) => decodeFilePath(a.path)))
    const done = await runIngestJob({ table, appId: 'cm', source: new NdjsonSource({ path: input }), encoders: 0 })
    expect(done).toMatchObject({ status: 'completed', tableVersion: 1 })
    const snapshot = await DeltaTable.open(table)
    const [file] = await newFiles(table, before)
    expect((await checkFile(table, file as string, snapshot.schema.fields)).sort()).toEqual(['101/s1/a1', '102/s2/a2'])
  }, 60_000)

  it.each([0, 1])('an ingest job adds a new column with an id and physical name in the commit holding its data (encoders: %i)', async (encoders) => {
    const table = goldenCopy(mode)
    const wider = join(tempDir(`lake-cm-evolve-${mode}-`), 'wider.ndjson')
    // `extra` appears in the second record, `more` (a struct) in the third: two evolutions in one batch.
    writeFileSync(wider, [{ LongType: 200 }, { LongType: 201, extra: 'x' }, { LongType: 202, extra: 'y', more: { m: 1 } }].map((r) => JSON.stringify(r)).join('\n') + '\n')
    const old = await DeltaTable.open(table)
    const oldIds = old.schema.fields.map(fieldId)
    const events: string[] = []
    const done = await runIngestJob({ table, appId: 'cm-wider', source: new NdjsonSource({ path: wider }), schemaPolicy: 'evolve', encoders, onEvent: (e) => { if (e.type === 'schemaEvolved') events.push(`${e.version}:${e.columns.join(',')}`) } })
    expect(done).toMatchObject({ status: 'completed', tableVersion: 1 })
    expect(events).toEqual(['1:extra,more'])
    expect(readdirSync(join(table, '_delta_log')).filter((f) => f.endsWith('.json'))).toHaveLength(2) // schema and data in one commit

    const snapshot = await DeltaTable.open(table)
    const fields = snapshot.schema.fields
    expect(fields.map((f) => f.name)).toEqual([...old.schema.fields.map((f) => f.name), 'extra', 'more'])
    const extra = fields.find((f) => f.name === 'extra') as StructField
    const more = fields.find((f) => f.name === 'more') as StructField
    const m = (more.type.kind === 'struct' ? more.type.fields[0] : undefined) as StructField
    const max = Number(old.metadata.configuration['delta.columnMapping.maxColumnId'])
    expect([fieldId(extra), fieldId(more), fieldId(m)]).toEqual([max + 1, max + 2, max + 3])
    expect(snapshot.metadata.configuration['delta.columnMapping.maxColumnId']).toBe(String(max + 3))
    for (const f of [extra, more, m]) expect(physical(f)).toMatch(/^col-[0-9a-f-]{36}$/)
    expect(fields.slice(0, oldIds.length).map(fieldId)).toEqual(oldIds)

    // Read by name: the new rows hold the new columns, the old files read them as null.
    const rows = await snapshot.toArray()
    expect(rows).toHaveLength(9)
    const byLong = (n: number): Record<string, unknown> | undefined => rows.find((r) => r['LongType'] === BigInt(n))
    expect(byLong(200)).toMatchObject({ extra: null, more: null })
    expect(byLong(201)).toMatchObject({ extra: 'x', more: null })
    expect(byLong(202)).toMatchObject({ extra: 'y', more: { m: 1n } })
    expect(rows.filter((r) => r['extra'] === null)).toHaveLength(7)
    expect((await snapshot.toArray({ filter: "extra = 'y'" })).map((r) => r['LongType'])).toEqual([202n])

    // DuckDB reads the new files (one per schema the batch saw) by physical names, with the schema's field ids.
    const files = (await newFiles(table, new Set(old.files().map((a) => decodeFilePath(a.path))))).map((f) => `'${join(table, f).replaceAll("'", "''")}'`)
    const ids = new Map((await duck(`SELECT name, field_id FROM parquet_schema([${files.join(', ')}])`)).map((r) => [String(r['name']), Number(r['field_id'])]))
    for (const f of [extra, more, m]) expect(ids.get(physical(f)), f.name).toBe(fieldId(f))
    const read = await duck(`SELECT "${physical(extra)}" AS e, "${physical(more)}"."${physical(m)}" AS m FROM read_parquet([${files.join(', ')}], union_by_name = true) ORDER BY e NULLS FIRST`)
    expect(read).toEqual([{ e: null, m: null }, { e: 'x', m: null }, { e: 'y', m: '1' }])
  }, 60_000)
})
