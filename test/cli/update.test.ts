// End to end: `lake update` on local tables with and without deletion vectors (spawned binary):
// metrics (JSON and a table), the rows after, UPDATE in history, nothing to update, several --set,
// backtick-quoted names, and refusals (exit 2 for the command line, 1 for a NOT NULL violation).

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAndIngest, lake, ndjson, schemaText, tempDir } from './cli-harness.js'

const SCHEMA = schemaText([['id', 'long', false], ['day', 'string'], ['the-note', 'string']])

let dir = ''
let cleanup = (): void => undefined

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('update'))
  const rows = [1, 2, 3, 4, 5, 6].map((id) => JSON.stringify({ id, day: id <= 3 ? '2024-01-01' : '2024-01-02', 'the-note': null }))
  writeFileSync(join(dir, 'rows.ndjson'), rows.join('\n') + '\n')
})
afterAll(() => cleanup())

const table = (name: string, properties: readonly string[]): Promise<string> =>
  createAndIngest(join(dir, name), { schema: SCHEMA, rows: join(dir, 'rows.ndjson'), partitionBy: 'day', properties })

const read = async (uri: string): Promise<Record<string, unknown>[]> =>
  ndjson((await lake(['read', uri])).stdout).sort((a, b) => Number(a['id']) - Number(b['id']))

describe('lake update', () => {
  it.each([
    ['with deletion vectors', ['delta.enableDeletionVectors=true'], { numDeletionVectorsAdded: 2, numCopiedRows: 0, numRemovedFiles: 0, numAddedFiles: 1 }],
    // Each rewritten file holds rows of its day and of the new one: two files each.
    ['copy-on-write', [], { numDeletionVectorsAdded: 0, numCopiedRows: 4, numRemovedFiles: 2, numAddedFiles: 4 }],
  ] as const)('%s: sets the values, prints the version and metrics, and records UPDATE', async (name, properties, expected) => {
    const uri = await table(name.replace(/\W/g, '-'), properties)
    const r = await lake(['update', uri, '--set', "day = '2024-02-01'", '--set', "`the-note` = 'moved'", '--where', 'id = 2 OR id >= 6', '--format', 'json'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 2, numUpdatedRows: 2, ...expected, attempts: 1, replans: 0 })
    expect(r.stderr).toContain('updated 2 rows as version 2')
    const rows = await read(uri)
    expect(rows.map((row) => [row['id'], row['day'], row['the-note']])).toEqual([
      [1, '2024-01-01', null], [2, '2024-02-01', 'moved'], [3, '2024-01-01', null],
      [4, '2024-01-02', null], [5, '2024-01-02', null], [6, '2024-02-01', 'moved'],
    ])
    const history = ndjson((await lake(['history', uri, '--limit', '1'])).stdout)
    expect(history[0]).toMatchObject({ version: 2, operation: 'UPDATE' })
    const none = await lake(['update', uri, '--set', "day = 'x'", '--where', 'id > 100', '--format', 'json'])
    expect(JSON.parse(none.stdout)).toMatchObject({ version: null, numUpdatedRows: 0 })
    const shown = await lake(['update', uri, '--set', "`the-note` = 'all'", '--format', 'table'])
    expect(shown.code, shown.stderr).toBe(0)
    expect(shown.stdout).toMatch(/numUpdatedRows\s+│?\s*6/)
  })

  it.each([
    ['no --set', ['--where', 'id = 1'], 'expected at least one --set'],
    ['a --set without =', ['--set', 'day'], "--set: expected 'column = expression'"],
    ['a column set twice', ['--set', "day = 'a'", '--set', "day = 'b'"], "column 'day' is set twice"],
    ['an unknown column', ['--set', 'nope = 1'], "unknown column 'nope'"],
    ['a value of the wrong type', ['--set', "id = 'abc'"], "cannot assign ''abc'' of type string to a column of type long"],
    ['a bad --where', ['--set', 'id = 1', '--where', 'nope = 1'], 'nope'],
  ])('exits 2 on %s, committing nothing', async (_name, args, message) => {
    const uri = await table(`bad-${_name.replace(/\W/g, '-')}`, [])
    const r = await lake(['update', uri, ...args])
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toContain(message)
    expect(ndjson((await lake(['history', uri])).stdout)).toHaveLength(2)
  })

  it('exits 1 when a new row breaks NOT NULL, naming the column, committing nothing', async () => {
    const uri = await table('not-null', ['delta.enableDeletionVectors=true'])
    const r = await lake(['update', uri, '--set', 'id = NULL', '--where', 'id = 3'])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("'id'")
    expect(ndjson((await lake(['history', uri])).stdout)).toHaveLength(2)
    expect((await read(uri)).map((row) => row['id'])).toEqual([1, 2, 3, 4, 5, 6])
  })
})
