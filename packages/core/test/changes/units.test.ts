// Units of the change data feed: the writer rule (needsChangeDataFiles), the per-commit sources of the
// reader (commitSources), the range check (planChanges), cdc actions through serialization, and the
// change sink and writer (rolling, physical names, discarding files a commit does not need).

import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { ChangeDataWriter, commitSources, createChangeSink, createEngine, engineCodec, needsChangeDataFiles, parseAction, planChanges, serializeAction, storeAsyncBuffer } from '../../src/internal.js'
import type { Action, AddCDCFile, AddFile, Metadata, RemoveFile, Row, StructType } from '../../src/internal.js'
import { SCHEMA } from '../dml/helpers.js'

const add = (path: string, dataChange = true): AddFile => ({ path, partitionValues: {}, size: 1, modificationTime: 0, dataChange })
const remove = (path: string, dataChange = true): RemoveFile => ({ path, dataChange, size: 1 })
const cdc = (path: string): AddCDCFile => ({ path, partitionValues: {}, size: 1, dataChange: false })
const actions = (...list: Action[]): Action[] => list
const A = (a: AddFile): Action => ({ kind: 'add', add: a })
const R = (r: RemoveFile): Action => ({ kind: 'remove', remove: r })
const C = (c: AddCDCFile): Action => ({ kind: 'cdc', cdc: c })
const metadata = (cdf: boolean): Metadata => ({
  id: 't', format: { provider: 'parquet', options: {} }, schemaString: '{"type":"struct","fields":[]}', partitionColumns: [],
  configuration: cdf ? { 'delta.enableChangeDataFeed': 'true' } : {},
})
const PROTOCOL = { minReaderVersion: 1, minWriterVersion: 4 }

describe('needsChangeDataFiles', () => {
  it.each([
    [false, true, true, false],
    [true, false, false, false],
    [true, true, false, true],
    [true, false, true, true],
    [true, true, true, true],
  ])('feed %s, updates %s, copy-on-write rewrite %s: %s', (changeDataFeed, hasUpdates, rewritesFiles, expected) => {
    expect(needsChangeDataFiles({ changeDataFeed, hasUpdates, rewritesFiles })).toBe(expected)
  })
})

describe('commitSources', () => {
  const at = (list: Action[]) => commitSources({ version: 7, timestamp: 70, actions: list }).map((s) => (s.kind === 'deletionVectorDiff' ? `dv:${s.add.path}` : `${s.kind}:${s.file.path}`))

  it.each([
    ['cdc actions win over adds and removes', actions(A(add('a')), R(remove('b')), C(cdc('c1')), C(cdc('c2'))), ['cdc:c1', 'cdc:c2']],
    ['adds are inserts, removes deletes', actions(A(add('a')), R(remove('b'))), ['insert:a', 'delete:b']],
    ['a remove+add of one path is a DV difference', actions(R(remove('a')), A(add('a')), A(add('b'))), ['dv:a', 'insert:b']],
    ['dataChange=false actions are not changes (OPTIMIZE)', actions(R(remove('a', false)), A(add('b', false))), []],
    ['metadata-only commits have none', actions({ kind: 'metaData', metaData: metadata(true) }), []],
  ])('%s', (_name, list, expected) => {
    expect(at(list)).toEqual(expected)
  })

  it('carries the version and timestamp of the commit', () => {
    expect(commitSources({ version: 7, timestamp: 70, actions: [A(add('a'))] })[0]).toMatchObject({ version: 7, timestamp: 70 })
  })
})

describe('planChanges', () => {
  const start = { version: 1, protocol: PROTOCOL, metadata: metadata(true) }
  const commit = (version: number, ...list: Action[]) => ({ version, timestamp: version * 10, actions: list })

  it('lists every version of the range in order, with the end metadata', () => {
    const plan = planChanges(start, [commit(1, A(add('a'))), commit(2, R(remove('a'))), commit(3, A(add('b')))])
    expect(plan.sources.map((s) => s.version)).toEqual([1, 2, 3])
    expect(plan).toMatchObject({ start: 1, end: 3 })
  })

  it.each([
    ['off at the start', metadata(false), [commit(1), commit(2)], 1],
    ['turned off in the range', metadata(true), [commit(1), commit(2, { kind: 'metaData', metaData: metadata(false) }), commit(3)], 2],
  ])('feed %s: ChangeDataNotRecorded with the first such version', (_name, startMetadata, commits, version) => {
    const end = commits.at(-1)?.version
    expect(() => planChanges({ ...start, metadata: startMetadata }, commits)).toThrow(expect.objectContaining({
      code: 'ChangeDataNotRecorded',
      message: `change data feed of versions 1..${end}: expected delta.enableChangeDataFeed=true at every version, found it off at version ${version}`,
      context: { version, start: 1, end },
    }))
  })

  const mapped = (fields: readonly [string, string][]): Metadata => ({
    ...metadata(true),
    schemaString: JSON.stringify({ type: 'struct', fields: fields.map(([name, physical]) => ({ name, type: 'long', nullable: true, metadata: { 'delta.columnMapping.physicalName': physical, 'delta.columnMapping.id': 1 } })) }),
    configuration: { 'delta.enableChangeDataFeed': 'true', 'delta.columnMapping.mode': 'name' },
  })
  const CM_PROTOCOL = { minReaderVersion: 2, minWriterVersion: 5 }
  it.each([
    ['a rename', [['b', 'col-a']] as [string, string][], "renames column 'a' to 'b'"],
    ['a drop', [['x', 'col-x']] as [string, string][], "drops column 'a'"],
  ])('column mapping: %s inside the range is SchemaMismatch naming the version and column', (_name, after, change) => {
    const cmStart = { version: 1, protocol: CM_PROTOCOL, metadata: mapped([['a', 'col-a']]) }
    expect(() => planChanges(cmStart, [commit(1), commit(2, { kind: 'metaData', metaData: mapped(after) })])).toThrow(expect.objectContaining({
      name: 'SchemaError',
      code: 'SchemaMismatch',
      message: `change data feed: version 2 ${change}; expected no rename or drop of a column-mapping column inside the range: read the ranges before and after it separately`,
      context: { version: 2, column: 'a' },
    }))
  })

  it('without column mapping a column dropped inside the range is no refusal (the rows are read by name)', () => {
    const plain = (names: string[]): Metadata => ({ ...metadata(true), schemaString: JSON.stringify({ type: 'struct', fields: names.map((name) => ({ name, type: 'long', nullable: true, metadata: {} })) }) })
    const plan = planChanges({ ...start, metadata: plain(['a', 'b']) }, [commit(1), commit(2, { kind: 'metaData', metaData: plain(['a']) })])
    expect(plan).toMatchObject({ end: 2, metadata: { schemaString: plain(['a']).schemaString } })
  })

  it('column mapping: an added column inside the range is fine', () => {
    const cmStart = { version: 1, protocol: CM_PROTOCOL, metadata: mapped([['a', 'col-a']]) }
    expect(planChanges(cmStart, [commit(1), commit(2, { kind: 'metaData', metaData: mapped([['a', 'col-a'], ['b', 'col-b']]) })]).end).toBe(2)
  })

  it('a protocol in the range lake cannot read is refused', () => {
    const protocol = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['nope'], writerFeatures: ['nope'] }
    expect(() => planChanges(start, [commit(1), commit(2, { kind: 'protocol', protocol })])).toThrow(expect.objectContaining({ code: 'UnsupportedFeature' }))
  })
})

describe('cdc actions', () => {
  it('serialize as the protocol writes them and parse back', () => {
    const file: AddCDCFile = { path: '_change_data/p=a%20b/cdc-00000-x.c000.zstd.parquet', partitionValues: { p: 'a b' }, size: 12, dataChange: false }
    const line = serializeAction({ kind: 'cdc', cdc: file })
    expect(JSON.parse(line)).toEqual({ cdc: { path: file.path, partitionValues: { p: 'a b' }, size: 12, dataChange: false } })
    expect(parseAction(line, { version: 0 })).toEqual({ kind: 'cdc', cdc: file })
  })
})

describe('createChangeSink and ChangeDataWriter', () => {
  const snapshot = (cdf: boolean, schema: StructType = SCHEMA, partitionColumns: string[] = ['p']) => ({
    schema, partitionColumns, columnMappingMode: 'none' as const, config: { enableChangeDataFeed: cdf } as never,
  })
  const stored = async (store: MemoryStore): Promise<string[]> => {
    const out: string[] = []
    for await (const m of store.list('_change_data/')) out.push(m.path)
    return out
  }

  it('writes files only when the commit needs them: updates, or a copy-on-write rewrite', async () => {
    const store = new MemoryStore({ url: 'memory://sink' })
    const engine = createEngine(store)
    const deletes = createChangeSink(engine, snapshot(true))
    await deletes.add('delete', { id: 1n, p: 'a', v: 1 })
    expect(await deletes.finish({ rewritesFiles: false })).toEqual([])
    const updates = createChangeSink(engine, snapshot(true))
    await updates.add('update_preimage', { id: 1n, p: 'a', v: 1 })
    await updates.add('update_postimage', { id: 1n, p: 'b', v: 2 })
    const files = await updates.finish({ rewritesFiles: false })
    expect(files.map((f) => f.partitionValues).sort((x, y) => String(x['p']).localeCompare(String(y['p'])))).toEqual([{ p: 'a' }, { p: 'b' }])
    expect((await stored(store)).sort()).toEqual(files.map((f) => f.path).sort())
    await updates.discard()
    expect(await stored(store)).toEqual([])
  })

  it('keeps nothing on a table without the feed', async () => {
    const store = new MemoryStore({ url: 'memory://off' })
    const sink = createChangeSink(createEngine(store), snapshot(false))
    expect(sink.enabled).toBe(false)
    await sink.add('update_preimage', { id: 1n, p: 'a', v: 1 })
    expect(await sink.finish({ rewritesFiles: true })).toEqual([])
    expect(await stored(store)).toEqual([])
  })

  it('rolls files at the target size and writes data columns under physical names plus _change_type', async () => {
    const store = new MemoryStore({ url: 'memory://roll' })
    const engine = createEngine(store)
    const schema: StructType = { kind: 'struct', fields: [
      { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: { 'delta.columnMapping.physicalName': 'col-1' } },
      { name: 's', type: { kind: 'struct', fields: [{ name: 'x', type: { kind: 'primitive', name: 'integer' }, nullable: true, metadata: { 'delta.columnMapping.physicalName': 'col-3' } }] }, nullable: true, metadata: { 'delta.columnMapping.physicalName': 'col-2' } },
    ] }
    const writer = new ChangeDataWriter(engine, { schema, partitionColumns: [], columnMappingMode: 'name', targetFileBytes: 60 })
    for (let i = 0; i < 6; i++) await writer.write('insert', { id: BigInt(i), s: { x: i } })
    const files = await writer.finish()
    expect(files.length).toBeGreaterThan(1)
    const fileSchema: StructType = { kind: 'struct', fields: [
      { name: 'col-1', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
      { name: 'col-2', type: { kind: 'struct', fields: [{ name: 'col-3', type: { kind: 'primitive', name: 'integer' }, nullable: true, metadata: {} }] }, nullable: true, metadata: {} },
      { name: '_change_type', type: { kind: 'primitive', name: 'string' }, nullable: false, metadata: {} },
    ] }
    const rows: Row[] = []
    for (const f of files) {
      for await (const batch of engineCodec(engine).readRows(await storeAsyncBuffer(store, f.path), fileSchema)) rows.push(...batch)
    }
    expect(rows).toHaveLength(6)
    expect(rows[0]).toEqual({ 'col-1': 0n, 'col-2': { 'col-3': 0 }, _change_type: 'insert' })
  })
})
