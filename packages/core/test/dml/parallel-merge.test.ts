// The seed scenario of issue 12 (docs/row-level-plan.md §11): 12 slices of keys; 8 Promise-concurrent
// tasks in this process and 4 child processes (real processes, on the built dist) each write their
// slice into their own table and into one shared table at the same time. Every table must end
// holding exactly its rows (the known failure of such pipelines elsewhere: one worker's rows in
// another's table), the shared table every slice once, no operation may fail, and no worker may
// re-plan more than 11 times (12 writers that each commit once). Deletion vectors on and off.
// The worker operation is slice-worker.mjs `writeSlice` (DELETE + append today; MERGE later).

import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable } from '../../src/index.js'
import { tempDir } from '../../../../test/temp-dir.js'
import { sliceRows, staleRows, writeSlice } from '../fixtures/slice-worker.mjs'
import type { SliceRun } from '../fixtures/slice-worker.mjs'
import { spawnNode } from '../helpers/spawn-node.js'
import { SCHEMA } from './helpers.js'

const CHILD = fileURLToPath(new URL('../fixtures/slice-child.mjs', import.meta.url))
const DIST = fileURLToPath(new URL('../../dist/internal.js', import.meta.url))
const SLICES = 12
const IN_PROCESS = 8

interface WorkerOutcome {
  readonly slice: number
  readonly own?: SliceRun
  readonly shared?: SliceRun
  readonly error?: { readonly name: string; readonly code?: string; readonly message: string }
}

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build first (npx turbo run build --filter=@lake/core)`)
})

/** Creates a table holding `rows` in one file. */
async function seeded(location: string, dv: boolean, rows: ReturnType<typeof staleRows>): Promise<void> {
  const table = await DeltaTable.create(location, { schema: SCHEMA, configuration: dv ? { 'delta.enableDeletionVectors': 'true' } : {} })
  await table.write(rows)
}

/** The table's rows as `id:p:v`, sorted by id. */
async function contents(location: string): Promise<string[]> {
  const rows = await (await DeltaTable.open(location)).toArray()
  return rows.map((r) => [Number(r['id']), r['p'], r['v']] as const).sort((a, b) => a[0] - b[0]).map((r) => r.join(':'))
}

const expected = (slices: readonly number[]): string[] =>
  slices.flatMap((s) => sliceRows(s)).map((r) => [Number(r['id']), r['p'], r['v']].join(':'))

async function inProcess(slice: number, own: string, shared: string): Promise<WorkerOutcome> {
  try {
    const [ownRun, sharedRun] = await Promise.all([writeSlice(DeltaTable, own, slice), writeSlice(DeltaTable, shared, slice)])
    return { slice, own: ownRun, shared: sharedRun }
  } catch (err) {
    const e = err as { name?: string; code?: string; message?: string }
    return { slice, error: { name: String(e.name), ...(e.code === undefined ? {} : { code: e.code }), message: String(e.message) } }
  }
}

describe('seed scenario: 8 tasks and 4 processes write their slices into their own tables and one shared table', () => {
  it.each([true, false])('deletion vectors %s', { timeout: 240_000 }, async (dv) => {
    const dir = tempDir('lake-seed-')
    const shared = join(dir, 'shared')
    const own = (slice: number): string => join(dir, `own-${slice}`)
    const slices = Array.from({ length: SLICES }, (_, i) => i)
    await seeded(shared, dv, slices.flatMap(staleRows)) // one file holding stale rows of every slice
    for (const slice of slices) await seeded(own(slice), dv, staleRows(slice))

    const children = slices.slice(IN_PROCESS).map((slice) => spawnNode(CHILD, [JSON.stringify({ slice, own: own(slice), shared })], `slice ${slice}`))
    for (const child of children) expect(await child.line()).toBe('ready')
    for (const child of children) child.send('go')
    const tasks = slices.slice(0, IN_PROCESS).map((slice) => inProcess(slice, own(slice), shared))
    const fromChildren = children.map(async (child) => JSON.parse(await child.line()) as WorkerOutcome)
    const outcomes = await Promise.all([...tasks, ...fromChildren])
    for (const child of children) expect(await child.exited()).toBe('0')

    expect(outcomes.filter((o) => o.error !== undefined)).toEqual([])
    expect(outcomes.map((o) => o.slice).sort((a, b) => a - b)).toEqual(slices)
    for (const o of outcomes) {
      expect(o.shared?.replans, `slice ${o.slice}`).toBeLessThanOrEqual(SLICES - 1)
      expect(o.own).toEqual({ attempts: 1, replans: 0 }) // nobody else writes its own table
    }
    // The 12 DELETEs all changed the shared seed file: every one but the first to commit re-planned at least once.
    expect(outcomes.reduce((n, o) => n + (o.shared?.replans ?? 0), 0)).toBeGreaterThanOrEqual(1)
    for (const slice of slices) expect(await contents(own(slice)), `own table of slice ${slice}`).toEqual(expected([slice]))
    expect(await contents(shared)).toEqual(expected(slices))
  })
})
