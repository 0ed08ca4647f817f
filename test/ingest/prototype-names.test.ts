// Column names are data: every name of Object.prototype (and `__proto__`) as a top-level column
// and as a nested struct field is written, read back and equal on every route: core writeDelta,
// @lake/ingest appendRows and jobs (NDJSON and CSV sources), and `lake ingest` (NDJSON and CSV,
// plain, --app-id and --mode overwrite).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DeltaTable, writeDelta } from '@lake/core'
import { CsvSource, NdjsonSource, appendRows, runIngestJob } from '@lake/ingest'
import { lake } from '../cli/cli-harness.js'

const NAMES = [...new Set([...Object.getOwnPropertyNames(Object.prototype), '__proto__'])]
const DIR = mkdtempSync(join(tmpdir(), 'lake-proto-names-'))
afterAll(() => rmSync(DIR, { recursive: true, force: true }))

let tables = 0
function tablePath(): string {
  return join(DIR, `t${tables++}`)
}

/** One NDJSON line per row: `id`, every name at the top level, and a struct `s` with every name. */
function jsonLines(nested: boolean): string[] {
  return [1, 2].map((id) => {
    const top = NAMES.map((n, i) => `${JSON.stringify(n)}:${id * 100 + i}`)
    const s = nested ? `,"s":{${NAMES.map((n) => `${JSON.stringify(n)}:${JSON.stringify(`${n}-${id}`)}`).join(',')}}` : ''
    return `{"id":${id},${top.join(',')}${s}}`
  })
}

function csvText(): string {
  const rows = [1, 2].map((id) => [id, ...NAMES.map((_, i) => id * 100 + i)].join(','))
  return [['id', ...NAMES].join(','), ...rows].join('\n') + '\n'
}

/** A value as sorted [key, value] pairs (own keys only, `__proto__` included), bigints as numbers. */
function canon(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value)
  if (Array.isArray(value)) return value.map(canon)
  if (typeof value !== 'object' || value === null) return value
  return Object.keys(value)
    .sort()
    .map((k) => [k, canon(Object.getOwnPropertyDescriptor(value, k)?.value)])
}

function expected(nested: boolean): unknown {
  return canon(jsonLines(nested).map((l) => JSON.parse(l) as unknown))
}

async function readBack(table: string): Promise<unknown> {
  const rows = await (await DeltaTable.open(table)).toArray()
  rows.sort((a, b) => Number(a['id']) - Number(b['id']))
  return canon(rows)
}

async function fieldNames(table: string): Promise<string[]> {
  return (await DeltaTable.open(table)).schema.fields.map((f) => f.name)
}


describe('Object.prototype names as columns', () => {
  it('covers every Object.prototype name', () => {
    expect(NAMES).toEqual(expect.arrayContaining(['__proto__', 'constructor', 'hasOwnProperty', 'toString', 'valueOf']))
  })

  it('round-trip through writeDelta, top-level and nested', async () => {
    const table = tablePath()
    await writeDelta(table, jsonLines(true).map((l) => JSON.parse(l) as unknown))
    expect(await fieldNames(table)).toEqual(['id', ...NAMES, 's'])
    expect(await readBack(table)).toEqual(expected(true))
  })

  it('partition by Object.prototype names, and filter on them', async () => {
    const table = tablePath()
    const partitionBy = ['__proto__', 'constructor', 'toString']
    await writeDelta(table, jsonLines(true).map((l) => JSON.parse(l) as unknown), { partitionBy })
    expect(await readBack(table)).toEqual(expected(true))
    const t = await DeltaTable.open(table)
    expect(t.partitionColumns).toEqual(partitionBy)
    expect(canon(await t.toArray({ filter: '`__proto__` = 210 AND constructor = 200' }))).toEqual((expected(true) as unknown[]).slice(1))
  })

  it('round-trip through appendRows, top-level and nested', async () => {
    const table = tablePath()
    await appendRows(table, jsonLines(true).map((l) => JSON.parse(l) as unknown), { encoders: 1 })
    expect(await readBack(table)).toEqual(expected(true))
  })

  it('round-trip through an NDJSON job (schema inferred, then evolved)', async () => {
    const dir = mkdtempSync(join(DIR, 'job-'))
    const input = join(dir, 'in.ndjson')
    writeFileSync(input, jsonLines(true).join('\n') + '\n')
    const table = tablePath()
    await runIngestJob({ table, appId: 'proto', source: new NdjsonSource({ path: input }), encoders: 0 })
    expect(await readBack(table)).toEqual(expected(true))
    const evolving = tablePath()
    await writeDelta(evolving, [{ id: 0n }])
    await runIngestJob({ table: evolving, appId: 'proto', source: new NdjsonSource({ path: input }), schemaPolicy: 'evolve', encoders: 0 })
    const rows = (await readBack(evolving)) as unknown[]
    expect(rows.slice(1)).toEqual(expected(true))
  })

  it('round-trip through a CSV job', async () => {
    const dir = mkdtempSync(join(DIR, 'csv-'))
    const input = join(dir, 'in.csv')
    writeFileSync(input, csvText())
    const table = tablePath()
    await runIngestJob({ table, appId: 'proto', source: new CsvSource({ path: input }), encoders: 0 })
    expect(await fieldNames(table)).toEqual(['id', ...NAMES])
    expect(await readBack(table)).toEqual(expected(false))
  })

  it.each([[[]], [['--app-id', 'proto']], [['--mode', 'overwrite']]])('{"__proto__":{"x":1}} and {"__proto__":5} land as written (lake ingest %j)', async (extra) => {
    const dir = mkdtempSync(join(DIR, 'cli-'))
    const file = join(dir, 'in.ndjson')
    writeFileSync(file, '{"id":1,"__proto__":{"x":1}}\n{"id":2,"__proto__":{"x":2}}\n')
    const t1 = tablePath()
    const r1 = await lake(['ingest', file, t1, ...extra])
    expect(r1.code, r1.stderr).toBe(0)
    expect(await readBack(t1)).toEqual(canon([JSON.parse('{"id":1,"__proto__":{"x":1}}'), JSON.parse('{"id":2,"__proto__":{"x":2}}')]))
    writeFileSync(file, '{"__proto__":5}\n')
    const t2 = tablePath()
    const r2 = await lake(['ingest', file, t2, ...extra])
    expect(r2.code, r2.stderr).toBe(0)
    expect(await readBack(t2)).toEqual(canon([JSON.parse('{"__proto__":5}')]))
  })

  it.each([
    ['plain', []],
    ['--app-id', ['--app-id', 'proto']],
    ['--mode overwrite', ['--mode', 'overwrite']],
  ])('round-trip through lake ingest %s (NDJSON and CSV)', async (_route, extra) => {
    const dir = mkdtempSync(join(DIR, 'cli-'))
    const ndjson = join(dir, 'in.ndjson')
    writeFileSync(ndjson, jsonLines(true).join('\n') + '\n')
    const csv = join(dir, 'in.csv')
    writeFileSync(csv, csvText())
    const t1 = tablePath()
    const r1 = await lake(['ingest', ndjson, t1, ...extra])
    expect(r1.code, r1.stderr).toBe(0)
    expect(await readBack(t1)).toEqual(expected(true))
    const t2 = tablePath()
    const r2 = await lake(['ingest', csv, t2, '--input-format', 'csv', ...extra])
    expect(r2.code, r2.stderr).toBe(0)
    expect(await fieldNames(t2)).toEqual(['id', ...NAMES])
    expect(await readBack(t2)).toEqual(expected(false))
  })
})
