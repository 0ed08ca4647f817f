// The conflict checker's individual rules, each pinned by a case that only that rule decides:
// blind-append classification, compaction vs appends, the order of the checks and every message.

import { describe, expect, it } from 'vitest'
import type { Action, AddFile, Protocol, RemoveFile } from '../src/actions/types.js'
import { checkConflicts, isBlindAppend } from '../src/transaction/conflicts.js'
import type { ReadPredicate, TransactionRecord, WinningCommit } from '../src/transaction/conflicts.js'

const add = (path: string, dataChange = true): Action => ({
  kind: 'add',
  add: { path, partitionValues: { p: path.slice(0, 1) }, size: 1, modificationTime: 0, dataChange } satisfies AddFile,
})
const remove = (path: string, dataChange = true): Action => ({ kind: 'remove', remove: { path, dataChange, deletionTimestamp: 0 } satisfies RemoveFile })
const info = (isBlindAppend: boolean): Action => ({ kind: 'commitInfo', commitInfo: { operation: 'X', isBlindAppend } })
const cdc: Action = { kind: 'cdc', cdc: { path: '_change_data/c.parquet', partitionValues: {}, size: 1, dataChange: false } }
const metadata: Action = {
  kind: 'metaData',
  metaData: { id: 'x', format: { provider: 'parquet', options: {} }, schemaString: '{}', partitionColumns: ['p'], configuration: {} },
}
const protocolAction = (p: Protocol): Action => ({ kind: 'protocol', protocol: p })
const txn = (appId: string): Action => ({ kind: 'txn', txn: { appId, version: 1 } })
const domain = (name: string): Action => ({ kind: 'domainMetadata', domainMetadata: { domain: name, configuration: '{}', removed: false } })
const inPartition = (value: string): ReadPredicate => (pv) => pv['p'] === value

function record(over: Partial<TransactionRecord>): TransactionRecord {
  return { readVersion: 3, readPredicates: [], readFiles: new Set(), readWholeTable: false, readAppIds: new Set(), actions: [], ...over }
}
const at = (version: number, actions: Action[]): WinningCommit => ({ version, actions })
const prefix = 'concurrent commit at version 5 (this transaction read version 3)'

describe('isBlindAppend', () => {
  it.each<[string, TransactionRecord, boolean]>([
    ['a delete by path that read nothing', record({ actions: [remove('a1')] }), false],
    ['an append that also writes change data', record({ actions: [add('a1'), cdc] }), false],
    ['an append that read the whole table', record({ readWholeTable: true, actions: [add('a1')] }), false],
    ['an append with metadata that read nothing', record({ actions: [metadata, add('a1')] }), true],
    ['a commit of no actions that read nothing', record({}), true],
  ])('%s: %s', (_name, rec, expected) => {
    expect(isBlindAppend(rec)).toBe(expected)
  })
})

describe('checkConflicts rules', () => {
  it('never lets a compaction conflict with appends, even into what it read (Serializable)', () => {
    const compaction = record({ readPredicates: [inPartition('a')], readFiles: new Set(['a1']), actions: [remove('a1', false), add('a-big', false)] })
    expect(checkConflicts(compaction, at(5, [info(false), add('a-new')]), 'Serializable')).toEqual({ status: 'ok' })
    expect(checkConflicts(compaction, at(5, [info(true), add('a-new')]), 'Serializable')).toEqual({ status: 'ok' })
  })

  it('checks appends of a commit that adds change data but no data files (not a compaction)', () => {
    const mine = record({ readPredicates: [inPartition('a')], actions: [cdc] })
    expect(checkConflicts(mine, at(5, [info(false), add('a-new')]), 'WriteSerializable')).toMatchObject({ reason: 'ConcurrentAppend' })
  })

  it('ignores winner adds without dataChange when looking for appends', () => {
    const mine = record({ readWholeTable: true, actions: [add('a-x')] })
    expect(checkConflicts(mine, at(5, [info(false), add('a-moved', false)]), 'Serializable')).toEqual({ status: 'ok' })
  })

  it('skips blind appends under WriteSerializable only while we change no metadata', () => {
    const mine = record({ readPredicates: [inPartition('a')], actions: [info(false), metadata, add('a-x')] })
    expect(checkConflicts(mine, at(5, [info(true), add('a-new')]), 'WriteSerializable')).toMatchObject({ reason: 'ConcurrentAppend' })
    const plain = record({ readPredicates: [inPartition('a')], actions: [info(false), add('a-x')] })
    expect(checkConflicts(plain, at(5, [info(true), add('a-new')]), 'WriteSerializable')).toEqual({ status: 'ok' })
  })

  it('matches winner adds against every read predicate', () => {
    const mine = record({ readPredicates: [inPartition('z'), inPartition('b')], actions: [add('b-x')] })
    expect(checkConflicts(mine, at(5, [info(false), add('b-new')]), 'WriteSerializable')).toMatchObject({ reason: 'ConcurrentAppend' })
  })

  it('lets a winner remove without dataChange of a file we read through (compaction)', () => {
    const mine = record({ readFiles: new Set(['a1']), actions: [add('a-x')] })
    expect(checkConflicts(mine, at(5, [info(false), remove('a1', false), add('a-big', false)]), 'WriteSerializable')).toEqual({ status: 'ok' })
    expect(checkConflicts(mine, at(5, [info(false), remove('a2')]), 'WriteSerializable')).toEqual({ status: 'ok' })
  })

  it('conflicts on a protocol change only when we cannot write it or change it too', () => {
    const p: Protocol = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors', 'rowTracking'] }
    const writable = { isProtocolWritable: (q: Protocol) => q === p }
    expect(checkConflicts(record({ actions: [add('a-x')] }), at(5, [protocolAction(p)]), 'WriteSerializable', writable)).toEqual({ status: 'ok' })
    const unwritable = { isProtocolWritable: () => false }
    expect(checkConflicts(record({ actions: [add('a-x')] }), at(5, [protocolAction(p)]), 'WriteSerializable', unwritable)).toMatchObject({ reason: 'ProtocolChanged' })
  })
})

describe('checkConflicts messages', () => {
  const p: Protocol = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors', 'rowTracking'] }
  it.each<[string, TransactionRecord, Action[], string]>([
    ['protocol, ours too', record({ actions: [protocolAction(p)] }), [protocolAction(p)], 'changed the protocol, and so does this transaction'],
    ['protocol with features', record({ actions: [add('a-x')] }), [protocolAction(p)], 'changed the protocol to (3,7) [deletionVectors, rowTracking]'],
    ['protocol without features', record({ actions: [add('a-x')] }), [protocolAction({ minReaderVersion: 1, minWriterVersion: 2 })], 'changed the protocol to (1,2)'],
    ['metadata', record({ actions: [add('a-x')] }), [metadata], 'changed the table metadata (schema, partitioning or properties)'],
    ['domain', record({ actions: [domain('d1'), domain('d2')] }), [domain('d0'), domain('d2')], "also changed domain metadata 'd2'"],
    ['app id we write', record({ actions: [txn('j1')] }), [txn('j0'), txn('j1')], "committed a transaction for app id 'j1' too"],
    ['app id we read', record({ readAppIds: new Set(['j2']), actions: [add('a-x')] }), [txn('j2')], "committed a transaction for app id 'j2' too"],
    ['append', record({ readWholeTable: true, actions: [add('a-x')] }), [info(false), add('b-1', false), add('b-2')], "added file 'b-2', which matches what this transaction read (the whole table)"],
    ['append, by the read predicate', record({ readPredicates: [() => true], readPredicateText: 'id BETWEEN 1 AND 9', actions: [add('a-x')] }), [add('b-2')], "added file 'b-2', which matches what this transaction read (read predicate: id BETWEEN 1 AND 9)"],
    ['append, by a long read predicate', record({ readPredicates: [() => true], readPredicateText: `id IN (${'7, '.repeat(99)}7)`, actions: [add('a-x')] }), [add('b-2')], `added file 'b-2', which matches what this transaction read (read predicate: ${`id IN (${'7, '.repeat(99)}7)`.slice(0, 200)}...)`],
    ['append, by a predicate of 200 characters', record({ readPredicates: [() => true], readPredicateText: 'x'.repeat(200), actions: [add('a-x')] }), [add('b-2')], `added file 'b-2', which matches what this transaction read (read predicate: ${'x'.repeat(200)})`],
    ['append, by a predicate without text', record({ readPredicates: [() => true], actions: [add('a-x')] }), [add('b-2')], "added file 'b-2', which matches what this transaction read"],
    ['delete read', record({ readFiles: new Set(['a1', 'a2']), actions: [add('a-x')] }), [remove('a0'), remove('a2')], "removed file 'a2', which this transaction read"],
    ['double delete', record({ actions: [remove('a1'), remove('a2')] }), [remove('a0', false), remove('a2', false)], "removed file 'a2', which this transaction removes too"],
  ])('%s', (_name, mine, winner, what) => {
    const result = checkConflicts(mine, at(5, winner), 'WriteSerializable')
    expect(result).toMatchObject({ status: 'conflict', message: `${prefix} ${what}` })
  })
})
