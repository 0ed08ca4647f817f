// VACUUM and the temp files a killed LocalStore write leaves (`.lake-<hex>.tmp`, never listed as
// objects): those older than the retention are removed (listed on a dry run), fresh ones are kept.

import { mkdirSync, utimesSync, writeFileSync, existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createEngine, vacuum, writeDelta } from '../../src/internal.js'
import { tempLocalTable } from '../table/helpers.js'
import { EVENTS, HOUR_MS } from './helpers.js'

/** Writes a temp file at `dir/name` (relative to the table root) last modified `ageMs` ago. */
function tempFile(root: string, dir: string, name: string, ageMs: number): string {
  const full = join(root, dir, name)
  mkdirSync(join(root, dir), { recursive: true })
  writeFileSync(full, 'partial')
  const when = new Date(Date.now() - ageMs)
  utimesSync(full, when, when)
  return full
}

describe('vacuum of stale temp files', () => {
  it('removes temp files older than the retention in every directory, keeps fresh ones, lists them on a dry run', async () => {
    const t = tempLocalTable()
    try {
      await writeDelta(t.root, [{ id: 1n, day: 'a' }], { schema: EVENTS, partitionBy: ['day'] })
      const oldData = tempFile(t.root, 'day=a', '.lake-0123456789abcdef.tmp', 3 * HOUR_MS)
      const oldLog = tempFile(t.root, '_delta_log', '.lake-fedcba9876543210.tmp', 3 * HOUR_MS)
      const fresh = tempFile(t.root, '', '.lake-00000000000000ff.tmp', 0)
      const notOurs = tempFile(t.root, '', '.other-0123456789abcdef.tmp', 3 * HOUR_MS)
      const options = { retentionHours: 1, enforceRetention: false }
      const engine = createEngine(t.store)
      const dry = await vacuum(engine, options)
      expect(dry.tempFiles.map((f) => f.path).sort()).toEqual(['_delta_log/.lake-fedcba9876543210.tmp', 'day=a/.lake-0123456789abcdef.tmp'])
      expect(existsSync(oldData)).toBe(true)
      const done = await vacuum(engine, { ...options, dryRun: false })
      expect(done.tempFiles).toHaveLength(2)
      expect([oldData, oldLog, fresh, notOurs].map((f) => existsSync(f))).toEqual([false, false, true, true])
      // With a zero retention, a temp file younger than an hour may be a write in flight: kept.
      const recent = tempFile(t.root, '_delta_log', '.lake-00000000000000aa.tmp', 10 * 60_000)
      expect((await vacuum(engine, { retentionHours: 0, enforceRetention: false, dryRun: false })).tempFiles).toEqual([])
      expect(existsSync(recent)).toBe(true)
    } finally {
      t.cleanup()
    }
  })
})
