// Time travel to every version of a table writeDelta wrote (past a checkpoint), by version and by
// timestamp (MemoryStore with a hand-moved clock; LocalStore with mtimes set by fs.utimes; in-commit
// timestamps), and history entries that say what each commit did.

import { utimesSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Row } from '@lake/parquet'
import { DeltaTable, LAKE_VERSION, commitPath, createEngine, writeDelta } from '../../src/internal.js'
import type { Engine, WriteOptions } from '../../src/internal.js'
import { P, field, struct } from './all-types.js'
import { clockedTable, readRows, tempLocalTable } from './helpers.js'

const SCHEMA = struct(field('id', P('long')), field('part', P('string')))
const row = (id: number): Row => ({ id: BigInt(id), part: id % 2 === 0 ? 'even' : 'odd' })

interface Step {
  readonly rows: Row[]
  readonly options: WriteOptions
  /** Ids in the table after the write; empty: the ids before it plus this write's. */
  readonly ids: number[]
}

/** One write per version and the ids the table holds after it. */
const STEPS: readonly Step[] = ([
  { rows: [row(1), row(2)], options: { schema: SCHEMA, partitionBy: ['part'], userMetadata: 'first' }, ids: [1, 2] },
  { rows: [row(3)], options: { mode: 'append' }, ids: [1, 2, 3] },
  { rows: [row(4)], options: { mode: 'append', txn: { appId: 'job', version: 1 } }, ids: [1, 2, 3, 4] },
  { rows: [row(5)], options: { mode: 'overwrite', replaceWhere: "part = 'odd'" }, ids: [2, 4, 5] },
  { rows: [row(6)], options: { mode: 'overwrite' }, ids: [6] },
  ...[7, 8, 9, 10, 11, 12].map((id): Step => ({ rows: [row(id)], options: { mode: 'append' }, ids: [] })),
  { rows: [row(13)], options: { mode: 'overwrite', replaceWhere: 'id >= 12' }, ids: [6, 7, 8, 9, 10, 11, 13] },
] satisfies Step[]).map((step, i, all) => (step.ids.length > 0 ? step : { ...step, ids: [6, ...all.slice(5, i + 1).map((s) => Number(s.rows[0]?.['id']))] }))

async function writeSteps(engine: Engine, beforeEach: (version: number) => void = () => {}): Promise<void> {
  for (const [version, step] of STEPS.entries()) {
    beforeEach(version)
    await writeDelta(engine, step.rows, step.options)
  }
}

const idsOf = (rows: readonly Row[]): number[] => rows.map((r) => Number(r['id']))

describe('time travel on a table written by writeDelta', () => {
  it('opens every version by version and by timestamp (clocked MemoryStore)', async () => {
    const t = clockedTable()
    const times: number[] = []
    await writeSteps(t.engine, () => times.push(t.tick(60_000)))
    expect((await DeltaTable.open(t.engine)).snapshot.segment.checkpoint?.version).toBe(10)
    for (const [version, step] of STEPS.entries()) {
      expect(idsOf(await readRows(t.engine, version)), `version ${version}`).toEqual(step.ids)
      const at = times[version] ?? 0
      expect((await DeltaTable.open(t.engine, { timestamp: at })).version).toBe(version)
      if (version === STEPS.length - 1) continue // after the last commit is out of range
      expect((await DeltaTable.open(t.engine, { timestamp: new Date(at + 59_999).toISOString() })).version).toBe(version)
    }
    await expect(DeltaTable.open(t.engine, { timestamp: (times[0] ?? 0) - 1 })).rejects.toMatchObject({ code: 'TimestampOutOfRange' })
    await expect(DeltaTable.open(t.engine, { timestamp: t.now() + 1 })).rejects.toMatchObject({ code: 'TimestampOutOfRange' })
  })

  it('opens every version by timestamp from commit file mtimes set with utimes (LocalStore)', async () => {
    const local = tempLocalTable()
    try {
      await writeSteps(createEngine(local.store))
      // Far from the write times: the commit files' mtimes decide.
      const base = Date.UTC(2020, 0, 1)
      const mtime = (v: number): number => base + v * 3_600_000
      for (let v = 0; v < STEPS.length; v++) utimesSync(join(local.root, commitPath(v)), mtime(v) / 1000, mtime(v) / 1000)
      const table = await DeltaTable.open(local.store)
      for (let v = 0; v < STEPS.length; v++) {
        expect(await table.versionAt(mtime(v))).toBe(v)
        if (v < STEPS.length - 1) expect(await table.versionAt(new Date(mtime(v) + 1_800_000).toISOString())).toBe(v)
        expect(idsOf(await (await table.at({ timestamp: mtime(v) })).toArray()).sort((a, b) => a - b)).toEqual(STEPS[v]?.ids)
      }
    } finally {
      local.cleanup()
    }
  })

  it('uses in-commit timestamps when the table enables them', async () => {
    const t = clockedTable()
    const first = { ...STEPS[0]?.options, configuration: { 'delta.enableInCommitTimestamps': 'true' } }
    t.tick()
    t.tick()
    const last = t.tick()
    await writeDelta(t.engine, [row(1)], first)
    await writeDelta(t.engine, [row(2)], { mode: 'append' })
    await writeDelta(t.engine, [row(3)], { mode: 'append' })
    // The object mtimes all equal the last tick; only the in-commit timestamps tell versions apart.
    const history = await (await DeltaTable.open(t.engine)).history()
    expect(history.map((h) => h.commitInfo?.inCommitTimestamp)).toEqual([last + 2, last + 1, last])
    expect(await (await DeltaTable.open(t.engine)).versionAt(last + 1)).toBe(1)
  })
})

describe('history of a table written by writeDelta', () => {
  it('says what every commit did, newest first', async () => {
    const t = clockedTable()
    await writeSteps(t.engine, () => t.tick())
    const history = await (await DeltaTable.open(t.engine)).history()
    expect(history.map((h) => h.version)).toEqual(STEPS.map((_s, v) => v).reverse())
    const at = (v: number) => history.find((h) => h.version === v)
    for (const entry of history) {
      expect(entry).toMatchObject({ operation: 'WRITE', isolationLevel: 'WriteSerializable', engineInfo: `lake/${LAKE_VERSION}` })
      expect(entry.readVersion).toBe(entry.version === 0 ? undefined : entry.version - 1)
    }
    expect(at(0)).toMatchObject({ operationParameters: { mode: 'ErrorIfExists', partitionBy: '["part"]' }, isBlindAppend: true, userMetadata: 'first' }) // as Spark writes a first write
    expect(at(1)).toMatchObject({ operationParameters: { mode: 'Append' }, operationMetrics: { numFiles: '1', numOutputRows: '1' }, isBlindAppend: true })
    expect(at(3)).toMatchObject({ operationParameters: { mode: 'Overwrite', predicate: expect.stringContaining('part') as unknown }, isBlindAppend: false })
    expect(at(3)?.operationMetrics).toMatchObject({ numFiles: '1', numRemovedFiles: '2' })
    expect(at(4)).toMatchObject({ operationParameters: { mode: 'Overwrite' }, operationMetrics: { numRemovedFiles: '3' }, isBlindAppend: false })
    expect(Number(at(1)?.operationMetrics?.['numOutputBytes'])).toBeGreaterThan(0)
    expect((await (await DeltaTable.open(t.engine)).history({ limit: 2 })).map((h) => h.version)).toEqual([11, 10])
  })

  it('names CREATE TABLE for an empty create', async () => {
    const t = clockedTable()
    await DeltaTable.create(t.engine, { schema: SCHEMA })
    const [entry] = await (await DeltaTable.open(t.engine)).history()
    expect(entry?.operation).toBe('CREATE TABLE')
    expect(entry?.operationParameters?.['properties']).toBe('{}')
  })

  it("lists the new table's properties in CREATE TABLE's parameters, as Spark does", async () => {
    const t = clockedTable()
    const configuration = { 'delta.enableDeletionVectors': 'true', 'delta.checkpointInterval': '2' }
    await DeltaTable.create(t.engine, { schema: SCHEMA, configuration })
    const [entry] = await (await DeltaTable.open(t.engine)).history()
    expect(entry?.operation).toBe('CREATE TABLE')
    expect(JSON.parse(String(entry?.operationParameters?.['properties']))).toEqual(configuration)
  })
})
