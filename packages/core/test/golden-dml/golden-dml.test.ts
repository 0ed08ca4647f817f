// Tables other engines wrote with deletion vectors and the change data feed (fixtures/golden/), changed
// by lake: on a copy of each, DELETE, UPDATE, an upsert MERGE and a MERGE with WHEN NOT MATCHED BY
// SOURCE DELETE, each checked against a model of the rows computed from the table's original
// contents: (a) lake reads back the model's rows; (b) every earlier version, Spark's latest
// included, still reads as it was; (c) the change feed from lake's first version is exactly the
// model's change rows, and the feed of Spark's own versions still reads as delta-kernel-rs reads it;
// (d) every DV lake wrote follows the byte format, and a file that had a DV keeps its deleted rows
// (Spark's DVs get the union); (e) DuckDB's read_parquet of the live files, minus their DVs, holds
// the model's rows.

import { cpSync } from 'node:fs'
import { join } from 'node:path'
import type { Row } from '@lake/parquet'
import type { LocalStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../../src/index.js'
import { deletionVectorUniqueId, readDeletionVector } from '../../src/internal.js'
import { GOLDEN_DIR, goldenTables } from '../helpers/golden.js'
import { tempLocalTable } from '../table/helpers.js'
import { WRITABLE } from './cases.js'
import type { GoldenDmlCase } from './cases.js'
import { checkDeletionVectorBytes, duckDbRows, textRows } from './checks.js'
import { canonical, modelSteps } from './model.js'
import { useDuckDb } from '../helpers/duckdb.js'

const duckDb = useDuckDb()

interface Feed {
  readonly startingVersion: number
  readonly columns: readonly string[]
  readonly rows: readonly (readonly (string | number | null)[])[]
}

const feedOf = (name: string): Feed | undefined => (goldenTables().find((t) => t.name === name) as unknown as { changeDataFeed?: Feed } | undefined)?.changeDataFeed

const CHANGE_COLUMNS = ['_change_type', '_commit_version']

/** What a run of the four operations saw. */
interface Run {
  readonly sparkVersion: number
  readonly expectedChanges: readonly Row[]
  /** DVs lake wrote, and how many of them extend a DV Spark wrote. */
  readonly newDvs: number
  readonly sparkUnions: number
  /** Live data files lake wrote, at the end. */
  readonly lakeFiles: number
}

/** (d): checks the bytes of every DV new in `after`; a file that had a DV in `before` keeps its rows. Returns [new DVs, unions over Spark's DVs]. */
async function checkNewDvs(root: string, store: LocalStore, before: DeltaTable, after: DeltaTable, sparkDvKeys: ReadonlySet<string>): Promise<[number, number]> {
  const old = new Map(before.files().map((f) => [f.path, f.deletionVector]))
  let dvs = 0
  let unions = 0
  for (const file of after.files()) {
    const previous = old.get(file.path)
    if (!file.deletionVector || (previous && deletionVectorUniqueId(previous) === deletionVectorUniqueId(file.deletionVector))) continue
    dvs++
    const rows = await checkDeletionVectorBytes(root, store, file.deletionVector)
    if (!previous) continue
    const kept = [...(await readDeletionVector(store, previous))]
    expect(rows).toEqual(expect.arrayContaining(kept))
    expect(rows.length).toBeGreaterThan(kept.length)
    if (sparkDvKeys.has(`${file.path}|${deletionVectorUniqueId(previous)}`)) unions++
  }
  return [dvs, unions]
}

/** Column → the physical name its files use (column mapping), for the columns that have one. */
function physicalNames(table: DeltaTable): Map<string, string> {
  if (table.snapshot.columnMappingMode === 'none') return new Map()
  const named = table.schema.fields.map((f): [string, unknown] => [f.name, f.metadata['delta.columnMapping.physicalName']])
  return new Map(named.filter((e): e is [string, string] => typeof e[1] === 'string'))
}

async function readsAs(store: LocalStore, version: number, rows: readonly Row[], columns: readonly string[]): Promise<void> {
  const table = await DeltaTable.open(store, { version })
  expect(canonical(await table.toArray(), columns), `version ${version}`).toEqual(canonical(rows, columns))
}

/** Runs the four operations on the copy at `root`, checking (a), (b), (d) and (e) after each. */
async function runSteps(c: GoldenDmlCase, root: string, store: LocalStore): Promise<Run> {
  const original = await DeltaTable.open(store)
  const sparkFiles = new Set(original.files().map((f) => f.path))
  const sparkDvKeys = new Set(original.files().flatMap((f) => (f.deletionVector ? [`${f.path}|${deletionVectorUniqueId(f.deletionVector)}`] : [])))
  let rows: Row[] = await original.toArray()
  const models = new Map<number, Row[]>([[original.version, rows]])
  const expectedChanges: Row[] = []
  let [newDvs, sparkUnions] = [0, 0]
  let latest = original
  for (const step of modelSteps(c)) {
    await step.run(latest, rows)
    const after = await DeltaTable.open(store)
    expect(after.version, step.label).toBe(latest.version + 1)
    const applied = step.apply(rows, after.version)
    rows = applied.rows
    models.set(after.version, rows)
    expectedChanges.push(...applied.changes)
    for (const [version, model] of models) await readsAs(store, version, model, c.columns)
    const [dvs, unions] = await checkNewDvs(root, store, latest, after, sparkDvKeys)
    newDvs += dvs
    sparkUnions += unions
    expect(await duckDbRows(duckDb(), root, store, after.files(), c.columns, physicalNames(after)), step.label).toEqual(textRows(rows, c.columns))
    latest = after
  }
  const lakeFiles = latest.files().filter((f) => !sparkFiles.has(f.path)).length
  return { sparkVersion: original.version, expectedChanges, newDvs, sparkUnions, lakeFiles }
}

/** (c): the feed from lake's first version is the model's; Spark's versions still read as the manifest says. */
async function checkFeed(c: GoldenDmlCase, store: LocalStore, run: Run): Promise<void> {
  const table = await DeltaTable.open(store)
  const feed = feedOf(c.name)
  if (feed === undefined) throw new Error(`expected the manifest to record the change data feed of ${c.name}`)
  const lake = await table.changes({ startingVersion: run.sparkVersion + 1 }).toArray()
  expect(canonical(lake, [...c.columns, ...CHANGE_COLUMNS])).toEqual(canonical(run.expectedChanges, [...c.columns, ...CHANGE_COLUMNS]))
  const spark = await table.changes({ startingVersion: feed.startingVersion, endingVersion: run.sparkVersion }).toArray()
  const actual = spark.map((r) => JSON.stringify(feed.columns.map((col) => (typeof r[col] === 'bigint' ? Number(r[col]) : r[col] ?? null))))
  expect(actual.sort()).toEqual(feed.rows.map((r) => JSON.stringify(r)).sort())
}

describe.each(WRITABLE)('$name (Spark-written) changed by lake', (c) => {
  it('DELETE, UPDATE, MERGE upsert, MERGE by source: rows, time travel, change feed, DV bytes and unions, DuckDB', { timeout: 120_000 }, async () => {
    const t = tempLocalTable()
    try {
      cpSync(join(GOLDEN_DIR, c.root), t.root, { recursive: true })
      const run = await runSteps(c, t.root, t.store)
      expect(run.expectedChanges.length).toBeGreaterThan(0)
      expect(run.lakeFiles).toBeGreaterThan(0)
      if (c.dv) expect([run.newDvs > 0, run.sparkUnions > 0]).toEqual([true, true])
      else expect(run.newDvs).toBe(0)
      if (c.cdf) await checkFeed(c, t.store, run)
      else {
        await expect((await DeltaTable.open(t.store)).changes({ startingVersion: run.sparkVersion + 1 }).toArray()).rejects.toMatchObject({
          name: 'ChangeDataError', code: 'ChangeDataNotRecorded', context: { version: run.sparkVersion + 1 },
        })
      }
    } finally {
      t.cleanup()
    }
  })
})
