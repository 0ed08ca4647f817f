// Batch planning of table streams, pure: Spark's DeltaSource rules for each kind of commit, the
// batch limits (maxFilesPerTrigger, soft maxBytesPerTrigger, never splitting a file), positions.

import { describe, expect, it } from 'vitest'
import type { Action, AddFile, Metadata } from '../../src/internal.js'
import { BatchPlanner, commitFiles, startingFiles } from '../../src/operations/stream/plan.js'
import type { ChangeOptions } from '../../src/operations/stream/plan.js'
import { isBefore, offsetJson, parseOffset } from '../../src/operations/stream/plan-offset.js'
import { idleWaitMs } from '../../src/operations/stream/options.js'

const META: Metadata = {
  id: 't',
  format: { provider: 'parquet', options: {} },
  schemaString: '{"type":"struct","fields":[{"name":"id","type":"long","nullable":true,"metadata":{}}]}',
  partitionColumns: [],
  configuration: {},
}
const add = (path: string, size = 10, dataChange = true, modificationTime = 0): AddFile => ({ path, partitionValues: {}, size, modificationTime, dataChange })
const addA = (path: string, size = 10, dataChange = true): Action => ({ kind: 'add', add: add(path, size, dataChange) })
const removeA = (path: string, dataChange = true): Action => ({ kind: 'remove', remove: { path, dataChange } })
const info = (operation: string): Action => ({ kind: 'commitInfo', commitInfo: { operation } })
const paths = (files: readonly { add: AddFile }[]): string[] => files.map((f) => f.add.path)

describe('commitFiles: what a commit gives the stream (Spark DeltaSource)', () => {
  const append = [info('WRITE'), addA('a'), addA('b')]
  const optimize = [info('OPTIMIZE'), removeA('a', false), removeA('b', false), addA('ab', 20, false)]
  const deleteWhole = [info('DELETE'), removeA('a')]
  const rewrite = [info('UPDATE'), removeA('a'), addA('a2')]
  type Outcome = string[] | 'UnsupportedChange'
  const table: [string, readonly Action[], ChangeOptions, Outcome][] = [
    ['append', append, {}, ['a', 'b']],
    ['OPTIMIZE (dataChange=false) is skipped', optimize, {}, []],
    ['DELETE of whole files: error by default', deleteWhole, {}, 'UnsupportedChange'],
    ['DELETE of whole files with ignoreDeletes: skipped', deleteWhole, { ignoreDeletes: true }, []],
    ['DELETE of whole files with ignoreChanges: skipped', deleteWhole, { ignoreChanges: true }, []],
    ['DELETE of whole files with skipChangeCommits: skipped', deleteWhole, { skipChangeCommits: true }, []],
    ['rewrite (UPDATE): error by default', rewrite, {}, 'UnsupportedChange'],
    ['rewrite with ignoreDeletes: still an error (rows changed, not only deleted)', rewrite, { ignoreDeletes: true }, 'UnsupportedChange'],
    ['rewrite with ignoreChanges: the rewritten files are re-emitted', rewrite, { ignoreChanges: true }, ['a2']],
    ['rewrite with skipChangeCommits: the whole commit is skipped', rewrite, { skipChangeCommits: true }, []],
    ['rewrite with skipChangeCommits and ignoreChanges: skipChangeCommits wins', rewrite, { skipChangeCommits: true, ignoreChanges: true }, []],
  ]
  it.each(table)('%s', (_name, actions, options, expected) => {
    if (expected === 'UnsupportedChange') {
      expect(() => commitFiles(7, actions, META, options)).toThrow(expect.objectContaining({ code: 'UnsupportedChange', context: { version: 7, operation: (actions[0] as { commitInfo: { operation: string } }).commitInfo.operation } }))
    } else {
      const { files } = commitFiles(7, actions, META, options)
      expect(paths(files)).toEqual(expected)
      expect(files.map((f) => [f.version, f.index, f.isStartingVersion])).toEqual(expected.map((_, i) => [7, i, false]))
    }
  })

  it('the error message names the version and the operation', () => {
    expect(() => commitFiles(12, deleteWhole, META, {})).toThrow(/source commit 12 \(DELETE\) deletes rows/)
    expect(() => commitFiles(13, rewrite, META, {})).toThrow(/source commit 13 \(UPDATE\) changes existing rows/)
  })

  it('a schema change stops the stream at its version unless allowSchemaChange', () => {
    const changed: Metadata = { ...META, schemaString: META.schemaString.replace('"long"', '"string"') }
    const actions: Action[] = [info('WRITE'), { kind: 'metaData', metaData: changed }, addA('c')]
    expect(() => commitFiles(4, actions, META, {})).toThrow(expect.objectContaining({ code: 'SchemaChanged', context: { version: 4, operation: 'WRITE' } }))
    expect(commitFiles(4, actions, META, { allowSchemaChange: true })).toMatchObject({ metadata: changed, files: [{ add: { path: 'c' } }] })
    const props: Metadata = { ...META, configuration: { 'delta.appendOnly': 'true' } }
    expect(commitFiles(4, [{ kind: 'metaData', metaData: props }], META, {})).toEqual({ files: [] })
  })

  it('a protocol lake cannot read stops the stream', () => {
    const protocol: Action = { kind: 'protocol', protocol: { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['nope'], writerFeatures: ['nope'] } }
    expect(() => commitFiles(2, [protocol], META, {})).toThrow(expect.objectContaining({ code: 'UnsupportedFeature' }))
  })
})

describe('BatchPlanner: batch limits', () => {
  const commit = (n: number, sizes: number[]): Action[] => sizes.map((s, i) => addA(`v${n}-${i}`, s))

  it('maxFiles cuts between files, also inside one commit', () => {
    const p = new BatchPlanner(undefined, META, {}, { maxFiles: 3 })
    expect(p.offerCommit(1, commit(1, [1, 1]))).toBe('more')
    expect(p.offerCommit(2, commit(2, [1, 1, 1]))).toBe('full')
    expect(paths(p.files)).toEqual(['v1-0', 'v1-1', 'v2-0'])
  })

  it('maxBytes is soft like Spark: the file crossing the limit is taken, a big file alone makes a batch', () => {
    const p = new BatchPlanner(undefined, META, {}, { maxBytes: 25 })
    expect(p.offerCommit(1, commit(1, [10, 10, 10, 10]))).toBe('full')
    expect(paths(p.files)).toEqual(['v1-0', 'v1-1', 'v1-2'])
    const big = new BatchPlanner(undefined, META, {}, { maxBytes: 5 })
    expect(big.offerCommit(1, commit(1, [100, 1]))).toBe('full')
    expect(paths(big.files)).toEqual(['v1-0'])
  })

  it('skips positions up to and including `after` (the end of the previous batch)', () => {
    const p = new BatchPlanner({ version: 2, index: 0, isStartingVersion: false }, META, {}, {})
    p.offerCommit(2, commit(2, [1, 1, 1]))
    p.offerCommit(3, commit(3, [1]))
    expect(paths(p.files)).toEqual(['v2-1', 'v2-2', 'v3-0'])
  })

  it('an allowed schema change starts a new batch: never two schemas in one batch', () => {
    const changed: Metadata = { ...META, schemaString: META.schemaString.replace('"long"', '"string"') }
    const p = new BatchPlanner(undefined, META, { allowSchemaChange: true }, {})
    p.offerCommit(1, commit(1, [1]))
    expect(p.offerCommit(2, [{ kind: 'metaData', metaData: changed }, addA('x')])).toBe('stop')
    expect(paths(p.files)).toEqual(['v1-0'])
    const next = new BatchPlanner({ version: 1, index: 0, isStartingVersion: false }, META, { allowSchemaChange: true }, {})
    expect(next.offerCommit(2, [{ kind: 'metaData', metaData: changed }, addA('x')])).toBe('more')
    expect(next.metadata).toBe(changed)
  })
})

describe('positions and offsets', () => {
  it('starting files are ordered by modification time, then path', () => {
    const files = startingFiles([add('b', 1, true, 5), add('c', 1, true, 1), add('a', 1, true, 5)], 9)
    expect(files.map((f) => [f.add.path, f.version, f.index, f.isStartingVersion])).toEqual([['c', 9, 0, true], ['a', 9, 1, true], ['b', 9, 2, true]])
  })

  it('orders by version, then index; -1 is before the first file', () => {
    expect(isBefore({ version: 3, index: -1, isStartingVersion: false }, { version: 3, index: 0, isStartingVersion: false })).toBe(true)
    expect(isBefore({ version: 3, index: 5, isStartingVersion: false }, { version: 4, index: 0, isStartingVersion: false })).toBe(true)
    expect(isBefore({ version: 3, index: 0, isStartingVersion: false }, { version: 3, index: 0, isStartingVersion: false })).toBe(false)
  })

  it('writes and reads Spark\'s offset JSON', () => {
    const text = offsetJson({ reservoirId: 'r', version: 4, index: 2, isStartingVersion: true })
    expect(JSON.parse(text)).toEqual({ sourceVersion: 1, reservoirId: 'r', reservoirVersion: 4, index: 2, isStartingVersion: true })
    expect(parseOffset(text, 'x')).toEqual({ reservoirId: 'r', version: 4, index: 2, isStartingVersion: true })
    expect(() => parseOffset('{"reservoirId":1}', 'offsets/3')).toThrow(expect.objectContaining({ code: 'InvalidArgument', context: { where: 'offsets/3' } }))
  })
})

describe('idle backoff of the interval trigger', () => {
  it('doubles the interval per empty poll up to 8 intervals (at most a minute, at least one interval)', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => idleWaitMs({ intervalMs: 1000 }, n))).toEqual([1000, 2000, 4000, 8000, 8000, 8000])
    expect([1, 2, 3].map((n) => idleWaitMs({ intervalMs: 30_000 }, n))).toEqual([30_000, 60_000, 60_000])
    expect(idleWaitMs({ intervalMs: 120_000 }, 5)).toBe(120_000)
    expect([1, 3].map((n) => idleWaitMs({ intervalMs: 100, maxIdleMs: 250 }, n))).toEqual([100, 250])
  })
})
