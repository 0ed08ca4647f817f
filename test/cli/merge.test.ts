// End to end: `lake merge` on local tables with and without deletion vectors (spawned binary): the
// upsert from an NDJSON file, a CSV source on stdin with an update clause and condition, delete by
// key, the MERGE in history, a duplicate source key (exit 1, nothing committed), sources only the row path
// reads (a refused value, a missing column), usage errors (exit 2).

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAndIngest, lake, ndjson, schemaText, tempDir } from './cli-harness.js'

const SCHEMA = schemaText([['id', 'long', false], ['v', 'integer']])

let dir = ''
let cleanup = (): void => undefined

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('merge'))
  writeFileSync(join(dir, 'rows.ndjson'), [1, 2, 3, 4].map((id) => JSON.stringify({ id, v: id })).join('\n') + '\n')
  writeFileSync(join(dir, 'changes.ndjson'), [{ id: 2, v: 20 }, { id: 9, v: 90 }].map((r) => JSON.stringify(r)).join('\n') + '\n')
  writeFileSync(join(dir, 'dupes.ndjson'), [{ id: 3, v: 1 }, { id: 3, v: 2 }].map((r) => JSON.stringify(r)).join('\n') + '\n')
})
afterAll(() => cleanup())

const table = (name: string, properties: readonly string[]): Promise<string> =>
  createAndIngest(join(dir, name), { schema: SCHEMA, rows: join(dir, 'rows.ndjson'), properties })

const rows = async (uri: string): Promise<[number, number | null][]> =>
  ndjson((await lake(['read', uri])).stdout)
    .map((r): [number, number | null] => [Number(r['id']), r['v'] === null ? null : Number(r['v'])])
    .sort((a, b) => a[0] - b[0])

describe('lake merge', () => {
  it.each([
    ['with deletion vectors', ['delta.enableDeletionVectors=true'], { numTargetDeletionVectorsAdded: 1, numTargetRowsCopied: 0 }],
    ['copy-on-write', [], { numTargetDeletionVectorsAdded: 0, numTargetRowsCopied: 3 }],
  ] as const)('%s: upserts an NDJSON file and prints the version and metrics', async (name, properties, expected) => {
    const uri = await table(name.replace(/\W/g, '-'), properties)
    const r = await lake(['merge', uri, join(dir, 'changes.ndjson'), '--on', 'target.id = source.id', '--when-matched', 'update-all', '--when-not-matched', 'insert-all'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 2, numSourceRows: 2, numTargetRowsUpdated: 1, numTargetRowsInserted: 1, ...expected, attempts: 1, replans: 0 })
    expect(await rows(uri)).toEqual([[1, 1], [2, 20], [3, 3], [4, 4], [9, 90]])
    expect(ndjson((await lake(['history', uri, '--limit', '1'])).stdout)[0]).toMatchObject({ version: 2, operation: 'MERGE' })
  })

  it('reads CSV from stdin; update with assignments and a condition; delete by key; by-source delete', async () => {
    const uri = await table('clauses', [])
    const csv = 'id,v\n1,100\n2,0\n'
    const r = await lake(['merge', uri, '-', '--input-format', 'csv', '--on', 'target.id = source.id', '--when-matched', 'update:v = source.v', '--when-matched-condition', 'source.v > 10'], { input: csv })
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ numTargetRowsUpdated: 1 })
    expect(await rows(uri)).toEqual([[1, 100], [2, 2], [3, 3], [4, 4]])
    const d = await lake(['merge', uri, '-', '--on', 'target.id = source.id', '--when-matched', 'delete', '--when-not-matched-by-source', 'none'], { input: '{"id":4}\n' })
    expect(JSON.parse(d.stdout)).toMatchObject({ version: 3, numTargetRowsDeleted: 1 })
    const s = await lake(['merge', uri, '-', '--on', 'target.id = source.id', '--when-not-matched-by-source', 'delete'], { input: '{"id":1}\n' })
    expect(JSON.parse(s.stdout)).toMatchObject({ version: 4, numTargetRowsNotMatchedBySourceDeleted: 2 })
    expect(await rows(uri)).toEqual([[1, 100]])
  })

  it('exits 1 when two source rows match one target row, committing nothing', async () => {
    const uri = await table('dupes', [])
    const r = await lake(['merge', uri, join(dir, 'dupes.ndjson'), '--on', 'target.id = source.id', '--when-matched', 'update-all'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('target.id = 3')
    expect(ndjson((await lake(['history', uri])).stdout)).toHaveLength(2)
  })

  it('reads an NDJSON or CSV source the table\'s columns refuse, or that lacks a column, as rows: the row path\'s errors, nothing committed; a CSV upsert by columns', async () => {
    const uri = await table('refused', ['delta.enableDeletionVectors=true'])
    const upsert = ['--on', 'target.id = source.id', '--when-matched', 'update-all', '--when-not-matched', 'insert-all']
    const refused = await lake(['merge', uri, '-', ...upsert], { input: '{"id":2,"v":5}\n{"id":3,"v":"five"}\n' })
    expect(refused.code).toBe(1)
    expect(refused.stderr).toContain("'v'")
    const lacking = await lake(['merge', uri, '-', ...upsert], { input: '{"id":2}\n{"id":7}\n' })
    expect(lacking.code).not.toBe(0)
    expect(lacking.stderr).toContain("needs source column 'v'")
    const csv = ['--input-format', 'csv']
    const refusedCell = await lake(['merge', uri, '-', ...csv, ...upsert], { input: 'id,v\n2,5\n3,five\n' })
    expect(refusedCell.code).toBe(1)
    expect(refusedCell.stderr).toContain("'v'")
    const lackingCsv = await lake(['merge', uri, '-', ...csv, ...upsert], { input: 'id\n2\n7\n' })
    expect(lackingCsv.code).not.toBe(0)
    expect(lackingCsv.stderr).toContain("needs source column 'v'")
    expect(ndjson((await lake(['history', uri])).stdout)).toHaveLength(2)
    expect(await rows(uri)).toEqual([[1, 1], [2, 2], [3, 3], [4, 4]])
    const upserted = await lake(['merge', uri, '-', ...csv, ...upsert], { input: 'v,id\n20,2\n70,7\n' })
    expect(upserted.code).toBe(0)
    expect(await rows(uri)).toEqual([[1, 1], [2, 20], [3, 3], [4, 4], [7, 70]])
  })

  it('exits 2 on usage errors: no clause, a bad --when-matched, an unknown column in --on', async () => {
    const uri = await table('usage', [])
    const source = join(dir, 'changes.ndjson')
    expect((await lake(['merge', uri, source, '--on', 'target.id = source.id'])).code).toBe(2)
    const bad = await lake(['merge', uri, source, '--on', 'target.id = source.id', '--when-matched', 'upsert'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('--when-matched')
    const col = await lake(['merge', uri, source, '--on', 'target.nope = source.id', '--when-matched', 'delete'])
    expect(col.code).toBe(2)
    expect(col.stderr).toContain('nope')
    expect(ndjson((await lake(['history', uri])).stdout)).toHaveLength(2)
  })
})
