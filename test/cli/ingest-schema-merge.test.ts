// `lake ingest --schema-mode merge` adds every new column of the input, not only those of the
// records its reader samples to type a new table (the first 1,000): a column that first appears
// later is added in the same commit, on a new table and on an existing one.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lake, ndjson, tempDir } from './cli-harness.js'

let dir = ''
let cleanup = (): void => undefined
/** 2,000 records; only record 1,500 has the column `extra`. */
const LATE_COLUMN = Array.from({ length: 2000 }, (_, i) => JSON.stringify(i === 1500 ? { id: i, extra: 'x' } : { id: i })).join('\n') + '\n'

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('schema-merge'))
  writeFileSync(join(dir, 'late.ndjson'), LATE_COLUMN)
})
afterAll(() => cleanup())

describe('lake ingest --schema-mode merge', () => {
  it.each([['a new table', false], ['an existing table', true]])('adds a column first seen after the sampled records: %s', async (name, exists) => {
    const table = join(dir, name.replace(/\W+/g, '-'))
    if (exists) expect((await lake(['ingest', '-', table], { input: '{"id":-1}\n' })).code).toBe(0)
    const r = await lake(['ingest', join(dir, 'late.ndjson'), table, '--schema-mode', 'merge'])
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({ version: exists ? 1 : 0, rows: 2000 })
    const schema = JSON.parse((await lake(['schema', table, '--format', 'json'])).stdout) as { fields: { name: string }[] }
    expect(schema.fields.map((f) => f.name)).toEqual(['id', 'extra'])
    expect(ndjson((await lake(['read', table, '--where', 'id = 1500'])).stdout)).toEqual([{ id: 1500, extra: 'x' }])
    expect(ndjson((await lake(['read', table, '--where', 'extra IS NULL', '--columns', 'id'])).stdout)).toHaveLength(exists ? 2000 : 1999)
  })

  it('without it, the same input into a new table is refused and leaves nothing', async () => {
    const table = join(dir, 'refused')
    const r = await lake(['ingest', join(dir, 'late.ndjson'), table])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain("column 'extra' is not in the table schema")
    expect((await lake(['history', table])).code).not.toBe(0)
  })
})
