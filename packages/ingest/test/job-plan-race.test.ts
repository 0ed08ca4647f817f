// Planned batches under two runners without a lock: one plan per batch id (put-if-absent), the
// loser runs the winner's range, and a resume continues after the range the table committed.
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { MemoryStore } from '@lake/storage'
import { runIngestJob } from '../src/index.js'
import type { IngestEvent, Source, SourceRecord } from '../src/index.js'
import type { JsonValue } from '../src/types.js'

/** Records { id } 0..available-1; offsets are record indexes. Same fingerprint for every instance. */
class ArraySource implements Source {
  readonly reads: [number, number][] = []
  constructor(
    readonly available: number,
    readonly hooks: { beforePlan?: () => Promise<void>; beforeRead?: () => Promise<void> } = {},
  ) {}
  fingerprint(): string {
    return 'array:ids'
  }
  async initialOffset(): Promise<JsonValue> {
    return 0
  }
  async latestOffset(start: JsonValue, limit: number | undefined): Promise<JsonValue> {
    await this.hooks.beforePlan?.()
    return Math.min(this.available, Number(start) + (limit ?? Number.POSITIVE_INFINITY))
  }
  async *read(start: JsonValue, end: JsonValue): AsyncGenerator<SourceRecord> {
    this.reads.push([Number(start), Number(end)])
    await this.hooks.beforeRead?.()
    for (let i = Number(start); i < Number(end); i++) yield { kind: 'record', value: { id: i }, position: i }
  }
  async schema(): Promise<undefined> {
    return undefined
  }
}

const SCHEMA = { kind: 'struct' as const, fields: [{ name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: false, metadata: {} }] }

function signal(): { promise: Promise<void>; fire: () => void } {
  let fire = (): void => undefined
  const promise = new Promise<void>((resolve) => (fire = resolve))
  return { promise, fire }
}

async function ids(store: MemoryStore): Promise<number[]> {
  return (await (await DeltaTable.open(store)).toArray({ columns: ['id'] })).map((r) => Number(r['id'])).sort((a, b) => a - b)
}

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

describe('job plans with two runners and no lock', () => {
  it('makes the runner that planned second use the first plan, so a resume loses nothing', async () => {
    const store = new MemoryStore()
    const planned = signal()
    const committed = signal()
    const onEvent = (e: IngestEvent): void => {
      if (e.type === 'batchPlanned') planned.fire()
      if (e.type === 'batchCommitted') committed.fire()
    }
    const bPlanning = signal()
    // B has passed its resume point (no plan yet) when A plans; B plans after A's plan is written.
    const a = new ArraySource(5, { beforePlan: () => bPlanning.promise })
    const b = new ArraySource(10, {
      beforePlan: () => {
        bPlanning.fire()
        return planned.promise
      },
      beforeRead: () => committed.promise,
    })
    const common = { table: store, appId: 'job', schema: SCHEMA, encoders: 0, lock: false } as const
    const [ra, rb] = await Promise.allSettled([runIngestJob({ ...common, source: a, onEvent }), runIngestJob({ ...common, source: b })])
    expect(ra).toMatchObject({ status: 'fulfilled', value: { status: 'completed', batches: 1 } })
    expect(rb).toMatchObject({ status: 'rejected', reason: { code: 'CommitConflict' } })
    expect(b.reads).toEqual([[0, 5]])
    const resumed = new ArraySource(10)
    await runIngestJob({ ...common, source: resumed })
    expect(resumed.reads).toEqual([[5, 10]])
    expect(await ids(store)).toEqual(range(10))
  })

  it('resumes after the range recorded in the commit when the state says otherwise', async () => {
    const store = new MemoryStore()
    const common = { table: store, appId: 'job', schema: SCHEMA, encoders: 0, lock: false } as const
    await runIngestJob({ ...common, source: new ArraySource(5) })
    // A plan overwritten after the commit (by a runner of an older version, or a store without put-if-absent).
    await store.put(`_lake_ingest/job/batches/${'0'.padStart(20, '0')}.json`, new TextEncoder().encode(JSON.stringify({ batchId: 0, start: 0, end: 8 })))
    const resumed = new ArraySource(10)
    await runIngestJob({ ...common, source: resumed })
    expect(resumed.reads).toEqual([[5, 10]])
    expect(await ids(store)).toEqual(range(10))
  })

  it('refuses to replay a planned batch that does not start where the committed one ended', async () => {
    const store = new MemoryStore()
    const common = { table: store, appId: 'job', schema: SCHEMA, encoders: 0, lock: false } as const
    await runIngestJob({ ...common, source: new ArraySource(5) })
    await store.put(`_lake_ingest/job/batches/${'1'.padStart(20, '0')}.json`, new TextEncoder().encode(JSON.stringify({ batchId: 1, start: 8, end: 10 })))
    await expect(runIngestJob({ ...common, source: new ArraySource(10) })).rejects.toMatchObject({ code: 'CorruptLog', context: { appId: 'job', batchId: 1 } })
    expect(await ids(store)).toEqual(range(5))
  })
})
