// `lake history` on a table whose log was cleaned up to a checkpoint: the commits the log kept are
// listed, and a note on stderr says from which version history is available (Spark's DESCRIBE
// HISTORY shows what is retained). The golden `checkpoint` table (checkpoint at 10, commits 0..14)
// is copied and its early commits deleted.

import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { lakeInProcess, ndjson, REPO_ROOT } from './cli-harness.js'
import { tempDir } from '../temp-dir.js'

/** A copy of the golden `checkpoint` table without the commit files of `removed`. */
function cleanedUp(removed: readonly number[]): string {
  const table = join(tempDir('history-retention'), 'checkpoint')
  cpSync(join(REPO_ROOT, 'fixtures/golden/checkpoint'), table, { recursive: true })
  for (const v of removed) rmSync(join(table, '_delta_log', `${String(v).padStart(20, '0')}.json`))
  return table
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('lake history on a log that starts at a checkpoint', () => {
  it('lists the kept commits and notes that history before them is not available', async () => {
    const result = await lakeInProcess(['history', cleanedUp(range(0, 9))])
    expect(result.code).toBe(0)
    expect(ndjson(result.stdout).map((e) => e['version'])).toEqual([14, 13, 12, 11, 10])
    expect(result.stderr).toContain('history before version 10 is not available: the log starts at the checkpoint of version 10')
  })

  it('notes that no commit remains when the log is only the checkpoint', async () => {
    const result = await lakeInProcess(['history', cleanedUp(range(0, 14)), '--format', 'json'])
    expect(result.code).toBe(0)
    expect(JSON.parse(result.stdout)).toEqual([])
    expect(result.stderr).toContain('history before version 11 is not available: the log starts at the checkpoint of version 10')
    expect(result.stderr).toContain('no commit file remains')
  })

  it('says nothing on stderr for a whole log', async () => {
    const result = await lakeInProcess(['history', cleanedUp([]), '--limit', '2'])
    expect(ndjson(result.stdout).map((e) => e['version'])).toEqual([14, 13])
    expect(result.stderr).toBe('')
  })
})
