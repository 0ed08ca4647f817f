// resumePoint and planNextBatch on their own: every reconciliation case of the offset log with the
// table's txn and recorded range, and every outcome of planning (replay, nothing new, a new plan, a
// plan another runner wrote first), with the error codes, messages and context fields callers use.

import { createEngine, writeDelta } from '@lake/core'
import { loadSnapshot } from '@lake/core/internal'
import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { JobStateStore } from '../src/job/job-state.js'
import { planNextBatch, resumePoint } from '../src/job/plan-batch.js'
import type { Source } from '../src/sources/source.js'
import type { JsonValue } from '../src/types.js'

const SCHEMA = { kind: 'struct' as const, fields: [{ name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: true, metadata: {} }] }
const meta = (batchId: number, start: JsonValue, end: JsonValue): string => JSON.stringify({ lakeIngest: { appId: 'job', batchId, start, end } })
const signal = new AbortController().signal

/** A table whose last commit holds batch `committed` of app 'job' with the given recorded range (or none). */
async function setup(committed: number | undefined, range?: [JsonValue, JsonValue]) {
  const table = new MemoryStore()
  const txn = committed === undefined ? {} : { txn: { appId: 'job', version: committed } }
  const userMetadata = range === undefined || committed === undefined ? {} : { userMetadata: meta(committed, range[0], range[1]) }
  await writeDelta(table, [{ id: 1n }], { schema: SCHEMA, ...txn, ...userMetadata })
  const engine = createEngine(table)
  const state = new JobStateStore(new MemoryStore(), 'state/')
  return { engine, state, snapshot: await loadSnapshot(engine) }
}

function source(initial: JsonValue, latest: (start: JsonValue, limit: number | undefined) => JsonValue): Source & { calls: unknown[] } {
  const calls: unknown[] = []
  return {
    calls,
    fingerprint: () => 'test',
    initialOffset: async (options: { signal?: AbortSignal }) => {
      expect(options.signal).toBe(signal)
      return initial
    },
    latestOffset: async (start: JsonValue, limit: number | undefined, options: { signal?: AbortSignal }) => {
      expect(options.signal).toBe(signal)
      calls.push([start, limit])
      return latest(start, limit)
    },
    read: async function* () {},
  } as unknown as Source & { calls: unknown[] }
}

describe('resumePoint', () => {
  it('starts a new job at batch 0 from the initial offset', async () => {
    const { engine, state, snapshot } = await setup(undefined)
    expect(await resumePoint(engine, state, snapshot, 'job')).toEqual({ batchId: 0, start: undefined })
  })

  it('refuses a table holding a batch when the job state has none', async () => {
    const { engine, state, snapshot } = await setup(0, [0, 5])
    await expect(resumePoint(engine, state, snapshot, 'job')).rejects.toMatchObject({
      code: 'JobMismatch',
      message: "job 'job': the table holds batch 0 for this appId but the job state has no planned batch; Help: use a new appId, or restore the job state that belongs to this table",
      context: { appId: 'job' },
    })
  })

  it('continues after the committed range when the latest plan is committed', async () => {
    const { engine, state, snapshot } = await setup(2, [10, 20])
    await state.planBatch({ batchId: 2, start: 10, end: 19 })
    expect(await resumePoint(engine, state, snapshot, 'job')).toEqual({ batchId: 3, start: 20 })
  })

  it('falls back to the plan end when the commit recorded no range', async () => {
    const { engine, state, snapshot } = await setup(2)
    await state.planBatch({ batchId: 2, start: 10, end: 19 })
    expect(await resumePoint(engine, state, snapshot, 'job')).toEqual({ batchId: 3, start: 19 })
  })

  it('replays the planned batch after the committed one when it starts where that ended', async () => {
    const { engine, state, snapshot } = await setup(2, [10, 20])
    await state.planBatch({ batchId: 3, start: 20, end: 30 })
    expect(await resumePoint(engine, state, snapshot, 'job')).toEqual({ batchId: 3, start: 20, end: 30 })
  })

  it('replays a planned batch 0 of a table with no batch yet', async () => {
    const { engine, state, snapshot } = await setup(undefined)
    await state.planBatch({ batchId: 0, start: 0, end: 5 })
    expect(await resumePoint(engine, state, snapshot, 'job')).toEqual({ batchId: 0, start: 0, end: 5 })
  })

  it('replays a plan after a commit that recorded no range without checking its start', async () => {
    const { engine, state, snapshot } = await setup(2)
    await state.planBatch({ batchId: 3, start: 99, end: 100 })
    expect(await resumePoint(engine, state, snapshot, 'job')).toEqual({ batchId: 3, start: 99, end: 100 })
  })

  it('refuses a planned batch that does not start where the committed one ended', async () => {
    const { engine, state, snapshot } = await setup(2, [10, 20])
    await state.planBatch({ batchId: 3, start: 21, end: 30 })
    const err = await resumePoint(engine, state, snapshot, 'job').catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'CorruptLog', context: { appId: 'job', batchId: 3 } })
    expect((err as Error).message).toBe(
      "job 'job': expected planned batch 3 to start where committed batch 2 ended (20, table version 0), found start 21; Help: delete memory:///state/batches/ entries after batch 2 to re-plan",
    )
  })

  it.each([[0], [4], [1]])('refuses a latest plan %i that is neither the committed batch 2 nor the next', async (planned) => {
    const { engine, state, snapshot } = await setup(planned === 1 ? 3 : 2, [0, 1])
    await state.planBatch({ batchId: planned, start: 0, end: 1 })
    await expect(resumePoint(engine, state, snapshot, 'job')).rejects.toMatchObject({ code: 'JobMismatch', context: { appId: 'job' } })
  })

  it('names both batch numbers when they disagree', async () => {
    const { engine, state, snapshot } = await setup(2, [0, 1])
    await state.planBatch({ batchId: 7, start: 0, end: 1 })
    await expect(resumePoint(engine, state, snapshot, 'job')).rejects.toThrow("the job state's latest planned batch is 7 but the table's txn for this appId is 2")
  })
})

describe('planNextBatch', () => {
  it('replays a planned range as is, from the initial offset when it has no start', async () => {
    const { state } = await setup(undefined)
    const src = source(0, () => 100)
    expect(await planNextBatch(state, src, { batchId: 3, start: 5, end: 9 }, 10, signal)).toEqual({ batchId: 3, start: 5, end: 9 })
    expect(await planNextBatch(state, src, { batchId: 0, start: undefined, end: 9 }, 10, signal)).toEqual({ batchId: 0, start: 0, end: 9 })
    expect(src.calls).toEqual([])
  })

  it('gives undefined when the source has nothing after the start, and writes no plan', async () => {
    const { state } = await setup(undefined)
    expect(await planNextBatch(state, source(0, (s) => s), { batchId: 0, start: { o: 4 } }, undefined, signal)).toBeUndefined()
    expect(await state.latestBatch()).toBeUndefined()
  })

  it('writes a new plan up to the latest offset within the limit before returning it', async () => {
    const { state } = await setup(undefined)
    const src = source(0, (s, limit) => Number(s) + (limit ?? 0))
    expect(await planNextBatch(state, src, { batchId: 0, start: undefined }, 7, signal)).toEqual({ batchId: 0, start: 0, end: 7 })
    expect(src.calls).toEqual([[0, 7]])
    expect(await state.readBatch(0)).toEqual({ batchId: 0, start: 0, end: 7 })
  })

  it("returns another runner's plan of the same batch when it starts at the same offset", async () => {
    const { state } = await setup(undefined)
    await state.planBatch({ batchId: 1, start: 5, end: 6 })
    expect(await planNextBatch(state, source(0, () => 50), { batchId: 1, start: 5 }, undefined, signal)).toEqual({ batchId: 1, start: 5, end: 6 })
  })

  it("refuses another runner's plan of the same batch that starts elsewhere", async () => {
    const { state } = await setup(undefined)
    await state.planBatch({ batchId: 1, start: 4, end: 6 })
    await expect(planNextBatch(state, source(0, () => 50), { batchId: 1, start: 5 }, undefined, signal)).rejects.toMatchObject({
      code: 'CorruptLog',
      message: "job planned batch 1: expected it to start at 5, found another runner's plan starting at 4",
      context: { batchId: 1 },
    })
  })
})
