// `lake ingest` reads and types input the same way on every route (plain append, --app-id job,
// --mode overwrite, stdin): duplicate CSV headers refused, one CSV typer, numbers written as doubles
// stay doubles, and malformed input (deep JSON, bad JSON, invalid UTF-8) is one error naming its line.

import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DeltaTable, writeDelta } from '@lake/core'
import type { StructType } from '@lake/parquet'
import { lake } from '../cli/cli-harness.js'

const DIR = mkdtempSync(join(tmpdir(), 'lake-input-parsing-'))
afterAll(() => rmSync(DIR, { recursive: true, force: true }))

let n = 0
function path(name: string): string {
  return join(DIR, `${n++}-${name}`)
}

function input(name: string, text: string | Buffer): string {
  const file = path(name)
  writeFileSync(file, text)
  return file
}

/** Runs `lake ingest` on `file` (or on stdin with `stdin`) with a route's flags. */
async function ingest(route: string, file: string, table: string, extra: readonly string[] = []): Promise<{ code: number; stderr: string }> {
  const flags = route === '--app-id' ? ['--app-id', 'job'] : route === 'overwrite' ? ['--mode', 'overwrite'] : []
  if (route === 'stdin') return lake(['ingest', '-', table, ...extra], { input: readFileSync(file, 'utf8') })
  return lake(['ingest', file, table, ...flags, ...extra])
}

const ROUTES = ['plain', '--app-id', 'overwrite', 'stdin'] as const

function types(schema: StructType): Record<string, string> {
  return Object.fromEntries(schema.fields.map((f) => [f.name, f.type.kind === 'primitive' ? f.type.name : f.type.kind]))
}

describe('CSV headers', () => {
  it.each(ROUTES)('a repeated column is refused, naming it, and nothing is written (%s)', async (route) => {
    for (const header of ['id,id,score', 'id,ID,score']) {
      const file = input('dup.csv', `${header}\n1,2,0.5\n`)
      const table = path('t')
      const r = await ingest(route, file, table, ['--input-format', 'csv'])
      expect(r.code, r.stderr).not.toBe(0)
      expect(r.stderr).toMatch(/expected distinct column names, found '(id|ID)' twice/)
      expect(existsSync(join(table, '_delta_log', '00000000000000000001.json'))).toBe(false)
    }
  })
})

describe('one CSV typer', () => {
  const CSV = 'id,score,ok,day,name\n1,0.0,true,2024-05-01,a\n2,2.5,false,2024-05-02,b\n'
  const EXPECTED = { id: 'long', score: 'double', ok: 'boolean', day: 'date', name: 'string' }

  it.each(ROUTES)('types a new table the same way (%s)', async (route) => {
    const table = path('t')
    const r = await ingest(route, input('in.csv', CSV), table, ['--input-format', 'csv'])
    expect(r.code, r.stderr).toBe(0)
    const t = await DeltaTable.open(table)
    expect(types(t.schema)).toEqual(EXPECTED)
    const rows = (await t.toArray()).sort((a, b) => Number(a['id']) - Number(b['id']))
    expect(rows.map((row) => ({ ...row }))).toEqual([
      { id: 1n, score: 0, ok: true, day: '2024-05-01', name: 'a' },
      { id: 2n, score: 2.5, ok: false, day: '2024-05-02', name: 'b' },
    ])
  })

  it.each(ROUTES)('casts to an existing typed table (%s)', async (route) => {
    const table = path('t')
    await writeDelta(table, [{ id: 0n, score: 1.5, ok: false, day: '2024-01-01', name: 'x' }], {
      schema: { kind: 'struct', fields: Object.entries({ ...EXPECTED, name: 'string' }).map(([name, t]) => ({ name, type: { kind: 'primitive', name: t } as never, nullable: true, metadata: {} })) },
    })
    // A column whose values look like integers is still written to the table's double and string columns.
    const r = await ingest(route === 'overwrite' ? 'plain' : route, input('more.csv', 'id,score,ok,day,name\n1,0,TRUE,2024-05-01,7\n'), table, ['--input-format', 'csv'])
    expect(r.code, r.stderr).toBe(0)
    const rows = (await (await DeltaTable.open(table)).toArray()).sort((a, b) => Number(a['id']) - Number(b['id']))
    expect({ ...rows[1] }).toEqual({ id: 1n, score: 0, ok: true, day: '2024-05-01', name: '7' })
  })

  it('names the line of a cell a typed column refuses', async () => {
    const table = path('t')
    await writeDelta(table, [{ id: 0n }])
    const r = await ingest('plain', input('bad.csv', 'id\n1\nx\n'), table, ['--input-format', 'csv'])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`line 3: column 'id' expects long, found "x"`)
  })
})

describe('numbers written as doubles', () => {
  const LINES = [...Array.from({ length: 150_000 }, () => '{"price": 5.0}'), '{"price": 9.5}'].join('\n') + '\n'

  it.each(['plain', '--app-id', 'overwrite'])('150,000 x 5.0 then 9.5 is a double column (%s)', async (route) => {
    const table = path('t')
    const r = await ingest(route, input('prices.ndjson', LINES), table)
    expect(r.code, r.stderr).toBe(0)
    const t = await DeltaTable.open(table)
    expect(types(t.schema)).toEqual({ price: 'double' })
    expect(await t.toArray({ filter: 'price > 9' })).toEqual([{ price: 9.5 }])
  })

  it.each(ROUTES)('12345678901234567.5 and 1e3 are doubles (%s)', async (route) => {
    const table = path('t')
    const r = await ingest(route, input('big.ndjson', '{"a": 12345678901234567.5, "b": 1e3, "c": 7}\n'), table)
    expect(r.code, r.stderr).toBe(0)
    const t = await DeltaTable.open(table)
    expect(types(t.schema)).toEqual({ a: 'double', b: 'double', c: 'long' })
    expect((await t.toArray()).map((row) => ({ ...row }))).toEqual([{ a: 12345678901234567.5, b: 1000, c: 7n }])
  })

  it.each(ROUTES)('1e999 is refused with its line, not stored as Infinity (%s)', async (route) => {
    const table = path('t')
    const r = await ingest(route, input('inf.ndjson', '{"a": 1.5}\n{"a": 1e999}\n'), table)
    expect(r.code, r.stderr).not.toBe(0)
    expect(r.stderr).toMatch(/line 2\b.*1e999.*beyond the double range/)
  })
})

describe('malformed input', () => {
  it.each(ROUTES)('JSON nested 10,000 deep is one error naming the line (%s)', async (route) => {
    const deep = `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`
    const r = await ingest(route, input('deep.ndjson', `{"a":[1]}\n${deep}\n`), path('t'))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toMatch(/line 2\b.*nested deeper than 100 levels/)
    expect(r.stderr).not.toContain('Maximum call stack')
    expect(r.stderr.split('\n').filter((l) => l.startsWith('    at ')).length).toBe(0)
  })

  it('invalid JSON shows the line and a byte order mark', async () => {
    const r = await ingest('plain', input('bad.ndjson', '{"a":1}\n\ufeff{"a":2}\n'), path('t'))
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain('line 2: invalid JSON')
    expect(r.stderr).toContain('found "\ufeff{\\"a\\":2}"; it starts with a byte order mark (U+FEFF)')
    const long = await ingest('plain', input('bad.ndjson', `{"a":"${'x'.repeat(200)}"\n`), path('t'))
    expect(long.stderr).toContain('(first 80 of 207 characters)')
  })

  it.each(['ndjson', 'csv'])('a line over the default 64 MiB limit is one error naming it, not a RangeError (%s)', async (format) => {
    const big = Buffer.alloc(64 * 1024 * 1024 + 16, 0x78)
    const head = Buffer.from(format === 'csv' ? 'a\n1\n' : '{"a":1}\n')
    const file = input(`long.${format}`, Buffer.concat([head, big, Buffer.from('\n')]))
    const r = await lake(['ingest', file, path('t'), '--input-format', format])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(format === 'csv' ? /line 3: a CSV record longer than the limit of 67108864 characters/ : /line 2 is longer than the limit of 67108864 bytes/)
    expect(r.stderr).not.toContain('RangeError')
  })

  it('a byte order mark before the first line is skipped', async () => {
    const table = path('t')
    const r = await ingest('plain', input('bom.ndjson', '\ufeff{"a":1}\n'), table)
    expect(r.code, r.stderr).toBe(0)
    expect(await (await DeltaTable.open(table)).toArray()).toEqual([{ a: 1n }])
  })

  it.each(['ndjson', 'csv'])('invalid UTF-8 is an error naming the line (%s)', async (format) => {
    const text = format === 'csv' ? Buffer.from('name\nok\n\xc3\x28\n', 'latin1') : Buffer.from('{"name":"ok"}\n{"name":"\xff\xfe"}\n', 'latin1')
    const table = path('t')
    const r = await ingest('plain', input(`bad.${format}`, text), table, ['--input-format', format])
    expect(r.code).not.toBe(0)
    expect(r.stderr).toContain(`line ${format === 'csv' ? 3 : 2}: expected UTF-8 text, found invalid UTF-8 bytes`)
    expect(existsSync(join(table, '_delta_log', '00000000000000000001.json'))).toBe(false)
  })
})
