// End to end: `lake delete` on local tables with and without deletion vectors (spawned binary):
// metrics, the rows left, the DELETE in history, nothing to delete, and a bad predicate (exit 2).

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAndIngest, lake, ndjson, schemaText, tempDir } from './cli-harness.js'

const SCHEMA = schemaText([['id', 'long', false], ['day', 'string']])

let dir = ''
let cleanup = (): void => undefined

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('delete'))
  writeFileSync(join(dir, 'rows.ndjson'), [1, 2, 3, 4, 5, 6].map((id) => JSON.stringify({ id, day: id <= 3 ? '2024-01-01' : '2024-01-02' })).join('\n') + '\n')
})
afterAll(() => cleanup())

const table = (name: string, properties: readonly string[]): Promise<string> =>
  createAndIngest(join(dir, name), { schema: SCHEMA, rows: join(dir, 'rows.ndjson'), partitionBy: 'day', properties })

const ids = async (uri: string): Promise<number[]> => ndjson((await lake(['read', uri])).stdout).map((r) => Number(r['id'])).sort((a, b) => a - b)

describe('lake delete', () => {
  it.each([
    ['with deletion vectors', ['delta.enableDeletionVectors=true'], { numDeletionVectorsAdded: 2, numAddedFiles: 0 }],
    ['copy-on-write', [], { numDeletionVectorsAdded: 0, numAddedFiles: 2, numCopiedRows: 4 }],
  ] as const)('%s: deletes the matching rows and prints the version and metrics', async (name, properties, expected) => {
    const uri = await table(name.replace(/\W/g, '-'), properties)
    const r = await lake(['delete', uri, '--where', 'id = 2 OR id >= 6'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 2, numDeletedRows: 2, ...expected, attempts: 1, replans: 0 })
    expect(await ids(uri)).toEqual([1, 3, 4, 5])
    const history = ndjson((await lake(['history', uri, '--limit', '1'])).stdout)
    expect(history[0]).toMatchObject({ version: 2, operation: 'DELETE' })
    const none = await lake(['delete', uri, '--where', 'id > 100'])
    expect(JSON.parse(none.stdout)).toMatchObject({ version: null, numDeletedRows: 0 })
    const all = await lake(['delete', uri])
    expect(JSON.parse(all.stdout)).toMatchObject({ version: 3, numDeletedRows: 4 })
    expect(await ids(uri)).toEqual([])
  })

  it('exits 2 on a predicate naming an unknown column, committing nothing', async () => {
    const uri = await table('bad', [])
    const r = await lake(['delete', uri, '--where', 'nope = 1'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('nope')
    expect(ndjson((await lake(['history', uri])).stdout)).toHaveLength(2)
  })

  it('optimize --purge rewrites the files with deletion vectors as a REORG; the rows stay', async () => {
    const uri = await table('purge', ['delta.enableDeletionVectors=true'])
    expect((await lake(['delete', uri, '--where', 'id = 2 OR id = 5'])).code).toBe(0)
    const r = await lake(['optimize', uri, '--purge'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ version: 3, numFilesRemoved: 2, numFilesAdded: 2 })
    expect(ndjson((await lake(['history', uri, '--limit', '1'])).stdout)[0]).toMatchObject({ version: 3, operation: 'REORG' })
    const files = ndjson((await lake(['files', uri])).stdout)
    expect(files.map((f) => f['deletedRows'])).toEqual([0, 0])
    expect(await ids(uri)).toEqual([1, 3, 4, 6])
    expect(JSON.parse((await lake(['optimize', uri, '--purge'])).stdout)).toMatchObject({ version: null })
  })
})
