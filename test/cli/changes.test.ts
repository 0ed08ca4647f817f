// End to end: `lake changes` (spawned binary) on a local change-data-feed table: the feed after an
// ingest and a copy-on-write delete, ranges, columns, --where, csv, the golden Spark table, and the
// errors (feed off: exit 1 naming the version; start after the latest: exit 3; no start: exit 2).

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAndIngest, lake, ndjson, REPO_ROOT, schemaText, tempDir } from './cli-harness.js'

const SCHEMA = schemaText([['id', 'long', false], ['day', 'string']])

let dir = ''
let cleanup = (): void => undefined

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('changes'))
  writeFileSync(join(dir, 'rows.ndjson'), [1, 2, 3, 4].map((id) => JSON.stringify({ id, day: '2024-01-01' })).join('\n') + '\n')
})
afterAll(() => cleanup())

const table = (name: string, properties: readonly string[]): Promise<string> =>
  createAndIngest(join(dir, name), { schema: SCHEMA, rows: join(dir, 'rows.ndjson'), properties })

describe('lake changes', () => {
  it('prints the inserts of an ingest and the deletes of a copy-on-write delete, with ranges, columns and --where', async () => {
    const uri = await table('feed', ['delta.enableChangeDataFeed=true'])
    expect((await lake(['delete', uri, '--where', 'id = 2'])).code).toBe(0) // v2: cdc file
    const all = await lake(['changes', uri, '--from-version', '0'])
    expect(all.code, all.stderr).toBe(0)
    const rows = ndjson(all.stdout)
    expect(rows.map((r) => `${String(r['id'])}:${String(r['_change_type'])}@${String(r['_commit_version'])}`).sort()).toEqual(['1:insert@1', '2:delete@2', '2:insert@1', '3:insert@1', '4:insert@1'])
    expect(Object.keys(rows[0] ?? {})).toEqual(['id', 'day', '_change_type', '_commit_version', '_commit_timestamp'])
    const deletes = await lake(['changes', uri, '--from-version', '2', '--to-version', '2', '--columns', 'ID,_change_type', '--format', 'csv'])
    expect(deletes.stdout).toBe('id,_change_type\n2,delete\n')
    const where = await lake(['changes', uri, '--from-version', '1', '--where', "_change_type = 'insert' AND id > 3", '--format', 'json'])
    expect(JSON.parse(where.stdout)).toMatchObject([{ id: 4, _change_type: 'insert', _commit_version: 1 }])
  })

  it('reads a Spark table with updates (golden krs-cdf-table)', async () => {
    const uri = join(REPO_ROOT, 'fixtures/golden/krs-cdf-table/cdf-table')
    const r = await lake(['changes', uri, '--from-version', '1', '--to-version', '1', '--columns', 'id,birthday,_change_type'])
    expect(r.code, r.stderr).toBe(0)
    expect(ndjson(r.stdout).filter((x) => x['id'] === 3)).toEqual(expect.arrayContaining([
      { id: 3, birthday: '2023-12-22', _change_type: 'update_postimage' },
      { id: 3, birthday: '2023-12-23', _change_type: 'update_preimage' },
    ]))
  })

  it('exits 1 naming the version when the feed is off, 3 when the start is after the latest, 2 without a start', async () => {
    const uri = await table('plain', [])
    const off = await lake(['changes', uri, '--from-version', '0'])
    expect(off.code).toBe(1)
    expect(off.stderr).toContain('version 0')
    expect(off.stderr).toContain('delta.enableChangeDataFeed')
    const after = await lake(['changes', uri, '--from-version', '9'])
    expect(after.code).toBe(3)
    const none = await lake(['changes', uri])
    expect(none.code).toBe(2)
    expect(none.stderr).toContain('--from-version')
  })
})
