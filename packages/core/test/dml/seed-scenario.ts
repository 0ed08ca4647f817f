// The seed scenario of issue 12 (docs/row-level-plan.md §11), for any storage: 12 slices of keys;
// 8 Promise-concurrent tasks in this process and 4 child processes (real processes, on the built
// dist: fixtures/slice-child.mjs) each write their slice into their own table and into one shared
// table at the same time, with the one worker operation of fixtures/slice-worker.mjs. Run by
// test/dml/parallel-merge.test.ts (local) and the repository's test/concurrency/seed-scenario.test.ts (S3).

import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import type { Row, StructType } from '@lake/parquet'
import { sliceRows, staleRows, writeSlice } from '../fixtures/slice-worker.mjs'
import type { SliceRun, SliceTableClass } from '../fixtures/slice-worker.mjs'
import { spawnNode } from '../helpers/spawn-node.js'

export const CHILD = fileURLToPath(new URL('../fixtures/slice-child.mjs', import.meta.url))
export const SLICES = 12
export const IN_PROCESS = 8

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
    { name: 'p', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
    { name: 'v', type: { kind: 'primitive', name: 'integer' }, nullable: true, metadata: {} },
  ],
}

/** The table class of the in-process tasks (the sources' or a package's `DeltaTable`). */
export interface SeedLake extends SliceTableClass {
  create(location: string, options: { schema: StructType; configuration: Record<string, string> }): Promise<{ write(rows: readonly Row[]): Promise<unknown> }>
  open(location: string): ReturnType<SliceTableClass['open']> & Promise<{ toArray(): Promise<Row[]> }>
}

/** Where the tables live: URIs every process can open, and the children's environment. */
export interface SeedTables {
  readonly shared: string
  own(slice: number): string
  readonly childEnv?: NodeJS.ProcessEnv
}

/** What one worker reports. */
export interface WorkerOutcome {
  readonly slice: number
  readonly own?: SliceRun
  readonly shared?: SliceRun
  readonly error?: { readonly name: string; readonly code?: string; readonly message: string }
}

const slices = Array.from({ length: SLICES }, (_, i) => i)

/** Seeds the tables (stale rows, the shared table's in one file), runs the 12 workers at once, returns their outcomes. */
export async function runSeedScenario(lake: SeedLake, tables: SeedTables, dv: boolean): Promise<WorkerOutcome[]> {
  const configuration: Record<string, string> = dv ? { 'delta.enableDeletionVectors': 'true' } : {}
  await (await lake.create(tables.shared, { schema: SCHEMA, configuration })).write(slices.flatMap(staleRows))
  for (const slice of slices) await (await lake.create(tables.own(slice), { schema: SCHEMA, configuration })).write(staleRows(slice))
  const children = slices.slice(IN_PROCESS).map((slice) => {
    const args = JSON.stringify({ slice, own: tables.own(slice), shared: tables.shared })
    return spawnNode(CHILD, [args], `slice ${slice}`, tables.childEnv)
  })
  for (const child of children) expect(await child.line()).toBe('ready')
  for (const child of children) child.send('go')
  const tasks = slices.slice(0, IN_PROCESS).map((slice) => inProcess(lake, slice, tables))
  const fromChildren = children.map(async (child) => JSON.parse(await child.line()) as WorkerOutcome)
  const outcomes = await Promise.all([...tasks, ...fromChildren])
  for (const child of children) expect(await child.exited()).toBe('0')
  return outcomes
}

/** The scenario's assertions: no error, bounded replans, each own table = its slice, the shared table = every slice once. */
export async function expectSeedResult(lake: SeedLake, tables: SeedTables, outcomes: readonly WorkerOutcome[]): Promise<void> {
  expect(outcomes.filter((o) => o.error !== undefined)).toEqual([])
  expect(outcomes.map((o) => o.slice).sort((a, b) => a - b)).toEqual(slices)
  for (const o of outcomes) {
    expect(o.shared?.replans, `slice ${o.slice}`).toBeLessThanOrEqual(SLICES - 1)
    expect(o.own, `slice ${o.slice}`).toEqual({ attempts: 1, replans: 0 }) // nobody else writes its own table
  }
  // The 12 DELETEs all change the shared seed file: all but the first to commit re-plan at least once.
  expect(outcomes.reduce((n, o) => n + (o.shared?.replans ?? 0), 0)).toBeGreaterThanOrEqual(1)
  for (const slice of slices) expect(await contents(lake, tables.own(slice)), `own table of slice ${slice}`).toEqual(expected([slice]))
  expect(await contents(lake, tables.shared)).toEqual(expected(slices))
}

async function inProcess(lake: SeedLake, slice: number, tables: SeedTables): Promise<WorkerOutcome> {
  try {
    const [own, shared] = await Promise.all([writeSlice(lake, tables.own(slice), slice), writeSlice(lake, tables.shared, slice)])
    return { slice, own, shared }
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string }
    return { slice, error: { name: String(e.name), ...(e.code === undefined ? {} : { code: e.code }), message: String(e.message) } }
  }
}

/** The table's rows as `id:p:v`, sorted by id. */
async function contents(lake: SeedLake, location: string): Promise<string[]> {
  const rows = await (await lake.open(location)).toArray()
  return rows.map((r) => [Number(r['id']), r['p'], r['v']] as const).sort((a, b) => a[0] - b[0]).map((r) => r.join(':'))
}

function expected(of: readonly number[]): string[] {
  return of.flatMap((s) => sliceRows(s)).map((r) => [Number(r['id']), r['p'], r['v']].join(':'))
}
