// The change data feed of tables other engines wrote (fixtures/golden/manifest.json `changeDataFeed`,
// transcribed from delta-kernel-rs kernel/tests/integration/features/cdf.rs): Spark's cdc files (updates,
// deletes, merges) and versions inferred from adds, removes and deletion-vector differences.

import { join } from 'node:path'
import { LocalStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../../src/index.js'
import { GOLDEN_DIR, goldenTables } from '../helpers/golden.js'

interface Feed {
  readonly startingVersion: number
  readonly columns: readonly string[]
  readonly rows: readonly (readonly (string | number | null)[])[]
}

const feeds = goldenTables().flatMap((t) => {
  const feed = (t as unknown as { changeDataFeed?: Feed }).changeDataFeed
  return feed === undefined ? [] : [[t.name, t.tableRoot, feed] as const]
})

const sorted = (rows: readonly (readonly unknown[])[]): string[] => rows.map((r) => JSON.stringify(r)).sort()

describe('changes() on golden tables', () => {
  it('the manifest records the feed of the three CDF tables', () => {
    expect(feeds.map(([name]) => name).sort()).toEqual(['krs-cdf-column-mapping-name-mode', 'krs-cdf-table', 'krs-compacted-log-files-table'])
  })

  it.each(feeds)('%s: every change row from version 0, as delta-kernel-rs reads it', async (_name, root, feed) => {
    const table = await DeltaTable.open(new LocalStore(join(GOLDEN_DIR, root)))
    const rows = await table.changes({ startingVersion: feed.startingVersion }).toArray()
    const actual = rows.map((r) => feed.columns.map((c) => {
      const v = r[c] ?? null
      return typeof v === 'bigint' ? Number(v) : v
    }))
    expect(sorted(actual)).toEqual(sorted(feed.rows))
    for (const r of rows) expect(r['_commit_timestamp']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/)
  })

  it('krs-cdf-column-mapping-name-mode: the feed turned on at v1, so a range from v0 names version 0', async () => {
    const table = await DeltaTable.open(new LocalStore(join(GOLDEN_DIR, 'krs-cdf-column-mapping-name-mode/cdf-column-mapping-name-mode')))
    await expect(table.changes({ startingVersion: 0 }).toArray()).rejects.toMatchObject({ name: 'ChangeDataError', code: 'ChangeDataNotRecorded', context: { version: 0 } })
  })

  it('a sub-range and a filter read only those versions and rows (krs-cdf-table 1..2, updates of id 3)', async () => {
    const table = await DeltaTable.open(new LocalStore(join(GOLDEN_DIR, 'krs-cdf-table/cdf-table')))
    const rows = await table.changes({ startingVersion: 1, endingVersion: 2, filter: 'id = 3', columns: ['birthday', '_change_type', '_commit_version'] }).toArray()
    expect(sorted(rows.map((r) => Object.values(r)))).toEqual(sorted([['2023-12-22', 'update_postimage', 1], ['2023-12-23', 'update_preimage', 1]]))
    expect(Object.keys(rows[0] ?? {})).toEqual(['birthday', '_change_type', '_commit_version'])
  })
})
