// Checkpoints written after commits by writeDelta: at every `delta.checkpointInterval` (default 10,
// and a custom one), `_last_checkpoint` right, the snapshot from a checkpoint equal to the one
// replayed from JSON only, DuckDB reads the checkpoint, and a failed checkpoint never fails a commit.

import { DuckDBInstance } from '@duckdb/node-api'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MemoryStore, StorageError, faultyStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { DEFAULT_CODEC, DeltaTable, classicCheckpointPath, createEngine, encodeCheckpoint, loadSnapshot, planCheckpoint, writeDelta } from '../../src/internal.js'
import type { AddFile, Snapshot } from '../../src/internal.js'
import { P, field, struct } from './all-types.js'
import { tempLocalTable } from './helpers.js'

const SCHEMA = struct(field('id', P('long')), field('part', P('string')))
const row = (id: number): { id: bigint; part: string } => ({ id: BigInt(id), part: `p${id % 3}` })

/**
 * Commits versions 0..last with a mix of operations: appends (some with txn), an overwrite of one
 * partition (tombstones), a schema change; one row per version otherwise.
 */
async function buildTable(store: ObjectStore, last: number, configuration: Record<string, string> = {}): Promise<void> {
  const engine = createEngine(store)
  await writeDelta(engine, [row(0)], { schema: SCHEMA, partitionBy: ['part'], configuration })
  for (let v = 1; v <= last; v++) {
    if (v === 7) await writeDelta(engine, [row(v)], { mode: 'overwrite', replaceWhere: "part = 'p1'" })
    else if (v === 13) await writeDelta(engine, [{ ...row(v), note: 'n' }], { mode: 'append', schemaMode: 'merge' })
    else await writeDelta(engine, [row(v)], { mode: 'append', ...(v % 4 === 0 ? { txn: { appId: `app-${v % 8}`, version: v } } : {}) })
  }
}

/** The store without checkpoints and `_last_checkpoint`: a snapshot from it is replayed from JSON only. */
function jsonOnly(inner: ObjectStore): ObjectStore {
  const hidden = (path: string): boolean => path.includes('.checkpoint.') || path.endsWith('_last_checkpoint')
  const notFound = (path: string): StorageError => new StorageError('NotFound', `hidden: ${path}`, { context: { method: 'get', path } })
  return {
    url: `${inner.url}#json-only`,
    get: async (path, o) => (hidden(path) ? Promise.reject(notFound(path)) : inner.get(path, o)),
    head: async (path, o) => (hidden(path) ? Promise.reject(notFound(path)) : inner.head(path, o)),
    put: (path, bytes, o) => inner.put(path, bytes, o),
    putIfAbsent: (path, bytes, o) => inner.putIfAbsent(path, bytes, o),
    delete: (path, o) => inner.delete(path, o),
    list: async function* (prefix, o) {
      for await (const meta of inner.list(prefix, o)) if (!hidden(meta.path)) yield meta
    },
  }
}

/**
 * The reconciled state of a snapshot. Fields a checkpoint row holds as null where the JSON action
 * had none are dropped, and so is `dataChange` (a checkpoint writes false, PROTOCOL.md#Checkpoints);
 * tombstones keep what vacuum needs, not their stats (as in Spark's checkpoints).
 */
function stateOf(s: Snapshot): unknown {
  const clean = (o: object): Record<string, unknown> =>
    Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== null && v !== undefined && k !== 'dataChange'))
  const sorted = (xs: readonly { path: string }[]): unknown[] => [...xs].sort((a, b) => a.path.localeCompare(b.path)).map(clean)
  return {
    version: s.version,
    protocol: clean(s.protocol),
    metadata: clean(s.metadata),
    files: sorted(s.files()),
    tombstones: sorted(s.tombstones().map(({ stats: _stats, ...rest }) => rest)),
    txns: [...s.appTransactions.values()].sort((a, b) => a.appId.localeCompare(b.appId)).map(clean),
  }
}

async function smallTable(): Promise<MemoryStore> {
  const store = new MemoryStore()
  await writeDelta(store, [row(1)], { schema: SCHEMA })
  return store
}

async function checkpointVersions(store: ObjectStore): Promise<number[]> {
  const out: number[] = []
  for await (const meta of store.list('_delta_log/')) {
    const m = /^_delta_log\/(\d{20})\.checkpoint\.parquet$/.exec(meta.path)
    if (m !== null) out.push(Number(m[1]))
  }
  return out
}

describe('checkpoints written after commits', () => {
  const local = tempLocalTable()
  beforeAll(() => buildTable(local.store, 25), 30_000)
  afterAll(() => local.cleanup())

  it('are written at versions 10 and 20 of 25 commits, with _last_checkpoint naming 20', async () => {
    expect(await checkpointVersions(local.store)).toEqual([10, 20])
    const hint = JSON.parse(new TextDecoder().decode(await local.store.get('_delta_log/_last_checkpoint'))) as Record<string, unknown>
    const at20 = await loadSnapshot(createEngine(local.store), { version: 20 })
    const checkpoint = await local.store.head(classicCheckpointPath(20))
    expect(hint).toMatchObject({ version: 20, sizeInBytes: checkpoint.size, numOfAddFiles: at20.files().length })
    expect(hint['size']).toBe(2 + at20.files().length + at20.tombstones().length + at20.appTransactions.size)
  })

  it.each([10, 20, 25])('give the same snapshot at version %i as replaying the JSON commits', async (version) => {
    const fromCheckpoint = await loadSnapshot(createEngine(local.store), { version })
    const fromJson = await loadSnapshot(createEngine(jsonOnly(local.store)), { version })
    expect(fromCheckpoint.segment.checkpoint?.version).toBe(version === 25 ? 20 : version)
    expect(fromJson.segment.checkpoint).toBeUndefined()
    expect(stateOf(fromCheckpoint)).toEqual(stateOf(fromJson))
    expect(fromCheckpoint.tombstones().length + fromCheckpoint.appTransactions.size).toBeGreaterThan(0)
    expect(await (await DeltaTable.open(local.store, { version })).toArray()).toHaveLength(fromJson.files().length)
  })

  it('are read by DuckDB with the live add actions of their version', async () => {
    const db = await DuckDBInstance.create(':memory:', { threads: '1' })
    const con = await db.connect()
    try {
      const file = join(local.root, classicCheckpointPath(20))
      const result = await con.runAndReadAll(`SELECT add.path AS path, add.partitionValues['part'] AS part FROM read_parquet('${file}') WHERE add IS NOT NULL ORDER BY 1`)
      const snapshot = await loadSnapshot(createEngine(local.store), { version: 20 })
      const expected = snapshot.files().map((f) => ({ path: f.path, part: f.partitionValues['part'] ?? null }))
      expect(result.getRowObjectsJson()).toEqual(expected.sort((a, b) => (a.path < b.path ? -1 : 1)))
      const meta = await con.runAndReadAll(`SELECT metaData.schemaString AS s FROM read_parquet('${file}') WHERE metaData IS NOT NULL`)
      expect(meta.getRowObjectsJson()).toEqual([{ s: snapshot.metadata.schemaString }])
    } finally {
      con.closeSync()
      db.closeSync()
    }
  })
})

describe('checkpoint interval and failures', () => {
  it('follows a custom delta.checkpointInterval', async () => {
    const store = new MemoryStore()
    await buildTable(store, 9, { 'delta.checkpointInterval': '3' })
    expect(await checkpointVersions(store)).toEqual([3, 6, 9])
    const fromCheckpoint = await loadSnapshot(createEngine(store))
    expect(stateOf(fromCheckpoint)).toEqual(stateOf(await loadSnapshot(createEngine(jsonOnly(store)))))
  })

  it('splits a large checkpoint into row groups, so readers can stream it', async () => {
    const add = (i: number): AddFile => ({ path: `f-${i}.parquet`, partitionValues: {}, size: i, modificationTime: 1, dataChange: true })
    const metadata = (await loadSnapshot(createEngine(await smallTable()))).metadata
    const plan = planCheckpoint(
      { protocol: { minReaderVersion: 1, minWriterVersion: 2 }, metadata, files: Array.from({ length: 6_000 }, (_x, i) => add(i)), tombstones: [], txns: [], domainMetadata: [] },
      { now: 0, tombstoneRetentionMs: 0 },
    )
    const local = tempLocalTable()
    const db = await DuckDBInstance.create(':memory:', { threads: '1' })
    const con = await db.connect()
    try {
      const file = join(local.dir, 'checkpoint.parquet')
      writeFileSync(file, encodeCheckpoint(plan, 1, DEFAULT_CODEC).bytes)
      const groups = await con.runAndReadAll(`SELECT DISTINCT row_group_id, row_group_num_rows FROM parquet_metadata('${file}') ORDER BY 1`)
      const sizes = groups.getRows().map((r) => Number(r[1]))
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(6_002)
      expect(sizes.length).toBeGreaterThan(1)
    } finally {
      con.closeSync()
      db.closeSync()
      local.cleanup()
    }
  })

  it('never fails the commit when the checkpoint cannot be written', async () => {
    const inner = new MemoryStore()
    const store = faultyStore(inner, { rules: [{ method: 'put', path: classicCheckpointPath(3) }] })
    await buildTable(store, 6, { 'delta.checkpointInterval': '3' })
    expect((await DeltaTable.open(inner)).version).toBe(6)
    expect(await checkpointVersions(inner)).toEqual([6])
  })
})
