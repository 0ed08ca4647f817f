import { describe, expect, it } from 'vitest'
import { DuckDBInstance } from '@duckdb/node-api'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MemoryStore } from '@lake/storage'
import { parquetMetadata } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import type { Action, AddFile, DomainMetadata, Metadata, Protocol, RemoveFile, Txn } from '../src/actions/types.js'
import { planCheckpoint } from '../src/checkpoint/plan-checkpoint.js'
import type { CheckpointState } from '../src/checkpoint/plan-checkpoint.js'
import { encodeCheckpoint } from '../src/checkpoint/encode-checkpoint.js'
import { lastCheckpointJson } from '../src/checkpoint/last-checkpoint-json.js'
import { CHECKPOINT_COLUMNS, CHECKPOINT_WRITE_SCHEMA } from '../src/checkpoint/checkpoint-schema.js'
import { DEFAULT_CODEC, createEngine } from '../src/engine.js'
import { readCheckpoint } from '../src/read/read-checkpoint.js'

const NOW = 1_700_000_000_000
const DAY = 86_400_000
const protocol: Protocol = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['timestampNtz', 'appendOnly'] }
const metadata: Metadata = {
  id: 'f9b6f4b0-0000-4000-8000-000000000001',
  name: 'events',
  description: null,
  format: { provider: 'parquet', options: {} },
  schemaString: '{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}},{"name":"date","type":"date","nullable":true,"metadata":{}}]}',
  partitionColumns: ['date'],
  createdTime: NOW - 10 * DAY,
  configuration: { 'delta.checkpointInterval': '10' },
}
const add = (path: string, over: Partial<AddFile> = {}): AddFile => ({
  path,
  partitionValues: { date: '2024-01-01' },
  size: 1234,
  modificationTime: NOW - DAY,
  dataChange: true,
  stats: '{"numRecords":3,"minValues":{"id":1},"maxValues":{"id":3},"nullCount":{"id":0}}',
  ...over,
})
const remove = (path: string, deletionTimestamp: number | undefined): RemoveFile => ({
  path,
  dataChange: true,
  ...(deletionTimestamp === undefined ? {} : { deletionTimestamp }),
  extendedFileMetadata: true,
  partitionValues: { date: null },
  size: 99,
  stats: '{"numRecords":1}',
  tags: { a: 'b' },
})
const txns: Txn[] = [{ appId: 'job-1', version: 7, lastUpdated: NOW - DAY }, { appId: 'old-job', version: 1, lastUpdated: NOW - 40 * DAY }]
const domains: DomainMetadata[] = [{ domain: 'app.x', configuration: '{"k":1}', removed: false }, { domain: 'gone', configuration: '', removed: true }]

const state: CheckpointState = {
  protocol,
  metadata,
  files: [
    add('date=2024-01-01/part-1.parquet', { tags: { owner: 'me' } }),
    add('date=2024-01-01/part-2.parquet', {
      deletionVector: { storageType: 'u', pathOrInlineDv: 'ab^-aqEH.-t@S}K{vb[*k^', offset: 1, sizeInBytes: 36, cardinality: 2 },
      stats: null,
    }),
  ],
  tombstones: [remove('fresh.parquet', NOW - DAY), remove('expired.parquet', NOW - 8 * DAY), remove('no-timestamp.parquet', undefined)],
  txns,
  domainMetadata: domains,
}

function kindsOf(actions: readonly Action[]): string[] {
  return actions.map((a) => (a.kind === 'add' || a.kind === 'remove' ? `${a.kind}:${a.kind === 'add' ? a.add.path : a.remove.path}` : a.kind))
}

describe('planCheckpoint', () => {
  const plan = planCheckpoint(state, { now: NOW, tombstoneRetentionMs: 7 * DAY, txnRetentionMs: 30 * DAY })

  it('holds one action per row: protocol, metadata, live txns and domains, adds, unexpired tombstones', () => {
    const filled = plan.rows.map((row) => CHECKPOINT_COLUMNS.filter((c) => row[c] !== null))
    expect(filled).toEqual([['protocol'], ['metaData'], ['txn'], ['domainMetadata'], ['add'], ['add'], ['remove']])
    expect(plan.size).toBe(7)
    expect(plan.numOfAddFiles).toBe(2)
  })

  it('keeps every tombstone and txn when retention allows', () => {
    const all = planCheckpoint(state, { now: NOW, tombstoneRetentionMs: 30 * DAY })
    expect(all.rows.filter((r) => r['remove'] !== null)).toHaveLength(2)
    expect(all.rows.filter((r) => r['txn'] !== null)).toHaveLength(2)
  })

  it('writes longs as bigint, maps as Map, and strips stats and tags from removes', () => {
    const addRow = plan.rows.find((r) => r['add'] !== null)?.['add']
    expect(addRow).toMatchObject({ size: 1234n, dataChange: false, partitionValues: new Map([['date', '2024-01-01']]), tags: new Map([['owner', 'me']]) })
    const removeRow = plan.rows.find((r) => r['remove'] !== null)?.['remove'] as Record<string, unknown>
    expect(removeRow).toEqual({
      path: 'fresh.parquet', deletionTimestamp: BigInt(NOW - DAY), dataChange: false, extendedFileMetadata: true,
      partitionValues: new Map([['date', null]]), size: 99n, deletionVector: null, baseRowId: null, defaultRowCommitVersion: null,
    })
  })

  it('uses a schema of map<string,string> and array<string> columns with the six action structs', () => {
    expect(CHECKPOINT_WRITE_SCHEMA.fields.map((f) => f.name)).toEqual(['txn', 'add', 'remove', 'metaData', 'protocol', 'domainMetadata'])
    const addType = CHECKPOINT_WRITE_SCHEMA.fields[1]?.type
    expect(addType).toMatchObject({ kind: 'struct' })
    const partitionValues = addType?.kind === 'struct' ? addType.fields.find((f) => f.name === 'partitionValues')?.type : undefined
    expect(partitionValues).toEqual({ kind: 'map', keyType: { kind: 'primitive', name: 'string' }, valueType: { kind: 'primitive', name: 'string' }, valueContainsNull: true })
  })
})

describe('lastCheckpointJson', () => {
  it('writes version, size, sizeInBytes and numOfAddFiles', () => {
    expect(lastCheckpointJson({ version: 10, size: 7, sizeInBytes: 4096, numOfAddFiles: 2 })).toBe('{"version":10,"size":7,"sizeInBytes":4096,"numOfAddFiles":2}')
  })
})

describe('encodeCheckpoint', () => {
  const plan = planCheckpoint(state, { now: NOW, tombstoneRetentionMs: 7 * DAY, txnRetentionMs: 30 * DAY })
  const encoded = encodeCheckpoint(plan, 10, DEFAULT_CODEC)
  const path = '_delta_log/00000000000000000010.checkpoint.parquet'

  it('is read back by the log reader as the same actions', async () => {
    const store = new MemoryStore()
    const meta = await store.put(path, encoded.bytes)
    const actions = await readCheckpoint(createEngine(store), { version: 10, format: 'classic', files: [meta] })
    expect(kindsOf(actions)).toEqual(['protocol', 'metaData', 'txn', 'domainMetadata', 'add:date=2024-01-01/part-1.parquet', 'add:date=2024-01-01/part-2.parquet', 'remove:fresh.parquet'])
    expect(actions[0]).toEqual({ kind: 'protocol', protocol })
    expect(actions[1]).toMatchObject({ kind: 'metaData', metaData: { ...metadata, description: null } })
    expect(actions[2]).toMatchObject({ kind: 'txn', txn: txns[0] })
    expect(actions[3]).toMatchObject({ kind: 'domainMetadata', domainMetadata: domains[0] })
    const files = state.files as AddFile[]
    expect(actions[4]).toMatchObject({ kind: 'add', add: { ...files[0], dataChange: false } })
    expect(actions[5]).toMatchObject({ kind: 'add', add: { ...files[1], dataChange: false, stats: null } })
    expect(actions[6]).toMatchObject({ kind: 'remove', remove: { path: 'fresh.parquet', deletionTimestamp: NOW - DAY, size: 99, dataChange: false } })
    expect(encoded.lastCheckpoint).toBe(`{"version":10,"size":7,"sizeInBytes":${encoded.bytes.byteLength},"numOfAddFiles":2}`)
  })

  it('is a CorruptData error naming the checkpoint file when a page is damaged', async () => {
    const buffer = encoded.bytes.slice().buffer
    const chunk = parquetMetadata(buffer).row_groups[0]?.columns[0]?.meta_data
    const reader = { view: new DataView(buffer), offset: Number(chunk?.dictionary_page_offset ?? chunk?.data_page_offset) }
    const header = parquetHeader(reader)
    const damaged = new Uint8Array(buffer)
    const flipped = reader.offset + (header.compressed_page_size >> 1)
    damaged[flipped] = (damaged[flipped] ?? 0) ^ 0x01
    const store = new MemoryStore()
    const meta = await store.put(path, damaged)
    await expect(readCheckpoint(createEngine(store), { version: 10, format: 'classic', files: [meta] })).rejects.toMatchObject({
      code: 'CorruptData',
      context: { path },
      message: expect.stringMatching(new RegExp(`^${path.replace(/\./g, '\\.')}: corrupt Parquet`)),
    })
  })

  it('is readable by DuckDB with the Delta checkpoint types', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lake-ckpt-'))
    try {
      const file = join(dir, 'checkpoint.parquet')
      writeFileSync(file, encoded.bytes)
      const db = await DuckDBInstance.create(':memory:')
      const conn = await db.connect()
      const types = await conn.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet('${file}'))`)
      const byName = Object.fromEntries(types.getRows().map(([n, t]) => [String(n), String(t)]))
      expect(byName['add']).toContain('partitionValues MAP(VARCHAR, VARCHAR)')
      expect(byName['protocol']).toBe('STRUCT(minReaderVersion INTEGER, minWriterVersion INTEGER, readerFeatures VARCHAR[], writerFeatures VARCHAR[])')
      const rows = await conn.runAndReadAll(
        `SELECT add.path, add.size, add.partitionValues['date'], array_to_string(protocol.readerFeatures, ','), array_to_string(metaData.partitionColumns, ',') FROM read_parquet('${file}')`,
      )
      const values = rows.getRows().map((r) => r.map((v) => (typeof v === 'bigint' ? Number(v) : v?.toString() ?? null)))
      expect(values[0]).toEqual([null, null, null, 'timestampNtz', null])
      expect(values[1]).toEqual([null, null, null, null, 'date'])
      expect(values[4]).toEqual(['date=2024-01-01/part-1.parquet', 1234, '2024-01-01', null, null])
      conn.closeSync()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
