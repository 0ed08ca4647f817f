// Copy-on-write DELETE and UPDATE hold one file's rows at a time (issue 12 "Memory": peak memory must
// not grow with the table's size): each rewritten file's kept rows are written as soon as that file
// is decided, before the next candidate file is read, rather than all at the end. Seen through the
// order of the store's reads and writes of data files. The columnar route of DELETE reads the predicate
// columns of a few files ahead and has two rewrites in flight: a bounded number of files, whatever the table's size.

import { MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { afterEach, describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../src/index.js'
import { columnarRoute } from '../src/rewrite/columnar-match.js'
import { SCHEMA, rowsAt, toRow } from './dml/helpers.js'

/** A view of `inner` that logs `read <key>` and `write <key>` for data files (not the log). */
function loggingStore(inner: ObjectStore): { store: ObjectStore; events: string[] } {
  const events: string[] = []
  const log = (kind: string, path: string): void => {
    if (path.endsWith('.parquet') && !path.startsWith('_delta_log/')) events.push(`${kind} ${path}`)
  }
  const store: ObjectStore = {
    url: inner.url,
    get: (p, o) => (log('read', p), inner.get(p, o)),
    head: (p, o) => inner.head(p, o),
    put: (p, b, o) => (log('write', p), inner.put(p, b, o)),
    putIfAbsent: (p, b, o) => (log('write', p), inner.putIfAbsent(p, b, o)),
    list: (p, o) => inner.list(p, o),
    delete: (p, o) => inner.delete(p, o),
  }
  return { store, events }
}

const ROWS = Array.from({ length: 30 }, (_, id) => ({ id, p: `p${id % 3}`, v: id }))

async function threeFileTable(): Promise<{ table: DeltaTable; events: string[]; engine: ReturnType<typeof createEngine> }> {
  const { store, events } = loggingStore(new MemoryStore({ url: 'memory://streaming' }))
  const engine = createEngine(store)
  await DeltaTable.create(engine, { schema: SCHEMA })
  await (await DeltaTable.open(engine)).write(ROWS.map(toRow), { maxRowsPerFile: 10 })
  const table = await DeltaTable.open(engine)
  expect(table.files()).toHaveLength(3)
  events.length = 0
  return { table, events, engine }
}

/** Reads and writes alternate: every file but the last is read before its rewrite is written and after the previous one's. */
function expectInterleaved(events: readonly string[]): void {
  expect(events.map((e) => e.split(' ')[0])).toEqual(['read', 'write', 'read', 'write', 'read', 'write'])
}

afterEach(() => {
  columnarRoute.columnar = true
})

describe('copy-on-write rewrites stream file by file', () => {
  it('DELETE on the row route writes each rewritten file before reading the next', async () => {
    columnarRoute.columnar = false
    const { table, events, engine } = await threeFileTable()
    const result = await table.delete('id % 2 = 0')
    expectInterleaved(events)
    expect(result.metrics).toMatchObject({ numDeletedRows: 15, numCopiedRows: 15, numRemovedFiles: 3, numAddedFiles: 3 })
    expect(await rowsAt(engine)).toEqual(ROWS.filter((r) => r.id % 2 === 1))
  })

  it.each([
    ['DELETE', (table: DeltaTable) => table.delete('id % 2 = 0'), { numDeletedRows: 100 }],
    ['UPDATE', (table: DeltaTable) => table.update({ set: { v: 'v + 1' }, where: 'id % 2 = 0' }), { numUpdatedRows: 100 }],
  ] as const)('%s on the columnar route reads a bounded number of files ahead of its writes', async (_name, operation, counts) => {
    const { store, events } = loggingStore(new MemoryStore({ url: 'memory://streaming' }))
    const engine = createEngine(store)
    await DeltaTable.create(engine, { schema: SCHEMA })
    const many = Array.from({ length: 200 }, (_, id) => ({ id, p: `p${id % 3}`, v: id }))
    await (await DeltaTable.open(engine)).write(many.map(toRow), { maxRowsPerFile: 10 })
    events.length = 0
    const result = await operation(await DeltaTable.open(engine))
    expect(result.metrics).toMatchObject({ ...counts, numRemovedFiles: 20, numAddedFiles: 20 })
    // Before its k-th write (k from 0), the files read are at most k + 1 + the predicate columns read ahead (3) + one more upload in flight.
    const read = new Set<string>()
    let writes = 0
    for (const event of events) {
      const [kind, path] = event.split(' ')
      if (kind === 'read') read.add(path ?? '')
      else expect(read.size, `reads before write ${writes}`).toBeLessThanOrEqual(writes++ + 5)
    }
    expect([read.size, writes]).toEqual([20, 20])
  })

  it('UPDATE on the row route writes each rewritten file before reading the next', async () => {
    columnarRoute.columnar = false
    const { table, events, engine } = await threeFileTable()
    const result = await table.update({ set: { v: 'v + 100' }, where: 'id % 2 = 0' })
    expectInterleaved(events)
    expect(result.metrics).toMatchObject({ numUpdatedRows: 15, numCopiedRows: 15, numRemovedFiles: 3, numAddedFiles: 3 })
    expect(await rowsAt(engine)).toEqual(ROWS.map((r) => (r.id % 2 === 0 ? { ...r, v: r.v + 100 } : r)))
  })
})
