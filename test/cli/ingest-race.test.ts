// Racing `lake ingest` processes into one new table: whichever wins version 0 creates the table
// with its data, the others append after it; every row lands exactly once, and a job that lost
// the race resumes into the winner's table.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lake, ndjson, tempDir } from './cli-harness.js'

const WRITERS = 4
const ROWS_EACH = 300
let dir = ''
let cleanup = (): void => undefined

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('race'))
  for (let w = 0; w < WRITERS; w++) {
    const rows = Array.from({ length: ROWS_EACH }, (_, i) => `{"id":${w * ROWS_EACH + i},"day":"d${i % 2}"}`)
    writeFileSync(join(dir, `in-${w}.ndjson`), `${rows.join('\n')}\n`)
  }
})
afterAll(() => cleanup())

describe('racing lake ingest processes into a new table', () => {
  it('land every row exactly once: one version 0 with data, the others appended after it', async () => {
    const table = join(dir, 'table')
    const args = (w: number): string[] => ['ingest', join(dir, `in-${w}.ndjson`), table, '--partition-by', 'day', ...(w % 2 === 0 ? ['--app-id', `job-${w}`] : [])]
    const results = await Promise.all(Array.from({ length: WRITERS }, (_, w) => lake(args(w))))
    for (const r of results) expect(r.code, r.stderr).toBe(0)
    const history = ndjson((await lake(['history', table, '--format', 'ndjson'])).stdout)
    expect(history.map((h) => h['version']).sort()).toEqual([0, 1, 2, 3])
    expect(history.every((h) => h['operation'] === 'WRITE')).toBe(true)
    const ids = ndjson((await lake(['read', table, '--columns', 'id'])).stdout).map((r) => Number(r['id'])).sort((a, b) => a - b)
    expect(ids).toEqual(Array.from({ length: WRITERS * ROWS_EACH }, (_, i) => i))
    // The jobs resume into the table, whoever created it: a rerun skips their committed batch.
    for (const w of [0, 2]) {
      const again = await lake(args(w))
      expect(again.code, again.stderr).toBe(0)
      expect(JSON.parse(again.stdout)).toMatchObject({ rows: 0, skippedBatches: 1 })
    }
  }, 120_000)
})
