// Pins the CommitRequest every commit site hands to the commit loop (issue 11 step 0): a spy that
// wraps the real `commitWithRetry` records each request, with a fixed clock, and the test compares
// them with the snapshots in __snapshots__/. Moving the sites onto the Transaction must keep them.
// One deliberate difference: the Transaction passes the table's `checkpointInterval` whenever no
// metadata is staged, so optimize and restore (which passed none) now do; the post-commit hook
// then skips loading the new snapshot on versions the interval does not divide (same checkpoints).

import { describe, expect, it, vi } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { CommitRequest } from '../../src/transaction/commit-request.js'

const recorded: CommitRequest[] = []

vi.mock('../../src/commit/commit-loop.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/commit/commit-loop.js')>()
  return {
    ...original,
    commitWithRetry: (...args: Parameters<typeof original.commitWithRetry>) => {
      recorded.push(args[1])
      return original.commitWithRetry(...args)
    },
  }
})

const { commitFiles, createEngine, loadSnapshot, optimize, restore, vacuum, writeDelta } = await import('../../src/internal.js')
type Engine = import('../../src/internal.js').Engine
type AddFile = import('../../src/internal.js').AddFile

const NOW = Date.UTC(2024, 0, 1)
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g

/** A request as data: uuids (file names, table ids) masked, functions and signals named, bigints as text. */
function shape(request: CommitRequest): unknown {
  return JSON.parse(
    JSON.stringify(request, (_key, value: unknown) => {
      if (typeof value === 'bigint') return `${value}n`
      if (typeof value === 'function') return '<function>'
      if (value instanceof AbortSignal) return '<signal>'
      if (typeof value === 'string') return value.replace(UUID, '<uuid>')
      return value
    }),
  )
}

function engineAt(): Engine {
  return createEngine(new MemoryStore({ now: () => NOW, url: 'memory://t' }), { now: () => NOW })
}

/** Runs `fn` and returns the requests it handed to the commit loop. */
async function requestsOf(fn: () => Promise<unknown>): Promise<unknown[]> {
  recorded.length = 0
  await fn()
  return recorded.map(shape)
}

const ROWS = [
  { id: 1n, part: 'a' },
  { id: 2n, part: 'b' },
]
const add = (name: string): AddFile => ({ path: `part=a/${name}.parquet`, partitionValues: { part: 'a' }, size: 10, modificationTime: 0, dataChange: true, stats: '{"numRecords":2}' })

describe('the CommitRequest each site builds (fixed clock)', () => {
  it('commitFiles: append, with app txn, with metadata', async () => {
    const engine = engineAt()
    await writeDelta(engine, ROWS, { partitionBy: ['part'] })
    const snapshot = await loadSnapshot(engine)
    const requests = await requestsOf(async () => {
      await commitFiles(engine, snapshot, [add('x')])
      await commitFiles(engine, await loadSnapshot(engine), [add('y')], { txn: { appId: 'job', version: 3 }, userMetadata: 'u' })
      const latest = await loadSnapshot(engine)
      await commitFiles(engine, latest, [add('z')], { metadata: { ...latest.metadata, configuration: { 'custom.k': 'v' } } })
    })
    expect(requests).toMatchSnapshot()
  })

  it('commitFiles: create a new table', async () => {
    const engine = engineAt()
    const schema = { kind: 'struct' as const, fields: [{ name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: true, metadata: {} }, { name: 'part', type: { kind: 'primitive' as const, name: 'string' as const }, nullable: true, metadata: {} }] }
    const requests = await requestsOf(() => commitFiles(engine, undefined, [add('a')], { newTable: { schema, partitionBy: ['part'], id: 'fixed-id' }, txn: { appId: 'job', version: 0 } }))
    expect(requests).toMatchSnapshot()
  })

  it('writeDelta: create, append, overwrite, replaceWhere, schema merge', async () => {
    const engine = engineAt()
    const requests = await requestsOf(async () => {
      await writeDelta(engine, ROWS, { partitionBy: ['part'] })
      await writeDelta(engine, ROWS, { mode: 'append', txn: { appId: 'w', version: 1 } })
      await writeDelta(engine, ROWS, { mode: 'overwrite' })
      await writeDelta(engine, [{ id: 5n, part: 'a' }], { mode: 'overwrite', replaceWhere: "part = 'a'" })
      await writeDelta(engine, [{ id: 6n, part: 'b', extra: 'e' }], { mode: 'append', schemaMode: 'merge' })
    })
    expect(requests).toMatchSnapshot()
  })

  it('optimize, restore, vacuum START and END', async () => {
    const engine = engineAt()
    await writeDelta(engine, ROWS, { partitionBy: ['part'] })
    await writeDelta(engine, ROWS, { mode: 'append' })
    const requests = await requestsOf(async () => {
      await optimize(engine, { where: "part = 'a'" })
      await restore(engine, { version: 0 })
      await vacuum(engine, { dryRun: false, retentionHours: 0, enforceRetention: false })
    })
    expect(requests).toMatchSnapshot()
  })
})

describe('restore across an in-commit-timestamps change', () => {
  it('writes inCommitTimestamp as the table is now (disabled), not as restored (enabled)', async () => {
    const engine = engineAt()
    await writeDelta(engine, ROWS, { configuration: { 'delta.enableInCommitTimestamps': 'true' } })
    await writeDelta(engine, ROWS, { mode: 'overwrite', schemaMode: 'overwrite', configuration: { 'delta.enableInCommitTimestamps': 'false' } })
    const requests = (await requestsOf(() => restore(engine, { version: 0 }))) as { inCommitTimestamps: boolean; actions: { kind: string }[] }[]
    expect(requests.map((r) => r.inCommitTimestamps)).toEqual([false])
    expect(requests[0]?.actions.map((a) => a.kind)).toContain('metaData')
  })
})
