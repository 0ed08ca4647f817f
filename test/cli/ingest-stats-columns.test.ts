// `lake ingest` into a table created with `--property delta.dataSkippingNumIndexedCols=1`: every route
// (NDJSON line route, CSV, an --app-id job, the streamed writeDelta of --schema-mode merge) writes file
// statistics for the first column only.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { lake, schemaText, tempDir } from './cli-harness.js'

let dir = ''
let cleanup = (): void => undefined

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('ingest-stats'))
  writeFileSync(join(dir, 'rows.ndjson'), [1, 2, 3].map((id) => JSON.stringify({ id, name: `n${id}`, v: id * 10 })).join('\n') + '\n')
  writeFileSync(join(dir, 'rows.csv'), 'id,name,v\n4,n4,40\n5,n5,50\n')
})
afterAll(() => cleanup())

describe('lake ingest honours delta.dataSkippingNumIndexedCols', () => {
  it('writes stats for the indexed columns only, on every route', async () => {
    const uri = join(dir, 't')
    const created = await lake(['create', uri, '--schema', schemaText([['id', 'long'], ['name', 'string'], ['v', 'long']]), '--property', 'delta.dataSkippingNumIndexedCols=1'])
    expect(created.code, created.stderr).toBe(0)
    for (const args of [[join(dir, 'rows.ndjson')], [join(dir, 'rows.csv')], [join(dir, 'rows.ndjson'), '--app-id', 'job'], [join(dir, 'rows.ndjson'), '--schema-mode', 'merge']]) {
      const r = await lake(['ingest', args[0] as string, uri, ...args.slice(1)])
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).toBe(0)
    }
    const table = await DeltaTable.open(uri)
    expect(table.version).toBe(4)
    expect(table.files().length).toBeGreaterThanOrEqual(4)
    for (const add of table.files()) {
      const stats = JSON.parse(add.stats ?? '{}') as { minValues: object; maxValues: object; nullCount: object }
      expect(Object.keys(stats.minValues), add.path).toEqual(['id'])
      expect(Object.keys(stats.maxValues), add.path).toEqual(['id'])
      expect(Object.keys(stats.nullCount), add.path).toEqual(['id'])
    }
  }, 120_000)
})
