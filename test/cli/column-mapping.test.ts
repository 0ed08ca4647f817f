// End to end: `lake create --property delta.columnMapping.mode=name|id` makes a column-mapped table
// (protocol with the columnMapping feature, ids and physical names in the schema), `lake merge`,
// `lake update`, `lake delete` and `lake ingest` change it, and `lake read` reads it back.
// `lake ingest --schema-mode merge`, as a job (--app-id) or one commit, adds new columns to it.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lake, ndjson, schemaText, tempDir } from './cli-harness.js'

const SCHEMA = schemaText([['id', 'long', false], ['day', 'string'], ['v', 'long']])

let dir = ''
let cleanup = (): void => undefined

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('column-mapping'))
  const rows = [1, 2, 3, 4].map((id) => JSON.stringify({ id, day: id <= 2 ? 'd1' : 'd2', v: id * 10 }))
  writeFileSync(join(dir, 'rows.ndjson'), rows.join('\n') + '\n')
})
afterAll(() => cleanup())

describe.each(['name', 'id'])('lake create --property delta.columnMapping.mode=%s', (mode) => {
  it('creates a column-mapped table that merge, update, delete and ingest change and read reads back', async () => {
    const uri = join(dir, `t-${mode}`)
    const created = await lake(['create', uri, '--schema', SCHEMA, '--partition-by', 'day', '--property', `delta.columnMapping.mode=${mode}`, '--property', 'delta.enableDeletionVectors=true'])
    expect(created.code, created.stderr).toBe(0)
    const detail = JSON.parse((await lake(['schema', uri, '--format', 'json'])).stdout) as { fields: { metadata: Record<string, unknown> }[] }
    expect(detail.fields.map((f) => f.metadata['delta.columnMapping.id'])).toEqual([1, 2, 3])
    for (const f of detail.fields) expect(String(f.metadata['delta.columnMapping.physicalName'])).toMatch(/^col-/)
    const merged = await lake(['merge', uri, join(dir, 'rows.ndjson'), '--on', 'target.id = source.id', '--when-matched', 'update-all', '--when-not-matched', 'insert-all'])
    expect(merged.code, merged.stderr).toBe(0)
    expect((await lake(['update', uri, '--set', 'v = v + 1', '--where', "day = 'd2'"])).code).toBe(0)
    expect((await lake(['delete', uri, '--where', 'id = 1'])).code).toBe(0)
    const rows = ndjson((await lake(['read', uri])).stdout).sort((a, b) => Number(a['id']) - Number(b['id']))
    expect(rows).toEqual([{ id: 2, day: 'd1', v: 20 }, { id: 3, day: 'd2', v: 31 }, { id: 4, day: 'd2', v: 41 }])
    const ingested = await lake(['ingest', join(dir, 'rows.ndjson'), uri])
    expect(ingested.code, ingested.stderr).toBe(0)
    const all = ndjson((await lake(['read', uri])).stdout).map((r) => `${String(r['id'])}/${String(r['day'])}/${String(r['v'])}`)
    expect(all.sort()).toEqual(['1/d1/10', '2/d1/20', '2/d1/20', '3/d2/30', '3/d2/31', '4/d2/40', '4/d2/41'])
  }, 60_000)

  it.each([['a job', ['--app-id', 'evolve']], ['one commit', []]])('lake ingest --schema-mode merge adds a column (%s) that lake read sees', async (_, extra) => {
    const uri = join(dir, `evolve-${mode}-${extra.length}`)
    const created = await lake(['create', uri, '--schema', SCHEMA, '--property', `delta.columnMapping.mode=${mode}`])
    expect(created.code, created.stderr).toBe(0)
    expect((await lake(['ingest', join(dir, 'rows.ndjson'), uri])).code).toBe(0)
    writeFileSync(join(dir, 'wider.ndjson'), JSON.stringify({ id: 9, day: 'd9', v: 90, note: 'new' }) + '\n')
    const ingested = await lake(['ingest', join(dir, 'wider.ndjson'), uri, '--schema-mode', 'merge', ...extra])
    expect(ingested.code, ingested.stderr).toBe(0)
    expect(JSON.parse(ingested.stdout)).toMatchObject({ version: 2, rows: 1 })
    const detail = JSON.parse((await lake(['schema', uri, '--format', 'json'])).stdout) as { fields: { name: string; metadata: Record<string, unknown> }[] }
    expect(detail.fields.map((f) => [f.name, f.metadata['delta.columnMapping.id']])).toEqual([['id', 1], ['day', 2], ['v', 3], ['note', 4]])
    expect(String(detail.fields[3]?.metadata['delta.columnMapping.physicalName'])).toMatch(/^col-/)
    expect(ndjson((await lake(['read', uri, '--where', 'note IS NOT NULL'])).stdout)).toEqual([{ id: 9, day: 'd9', v: 90, note: 'new' }])
    expect(ndjson((await lake(['read', uri, '--where', 'note IS NULL'])).stdout)).toHaveLength(4)
  }, 60_000)
})
