import { describe, expect, it } from 'vitest'
import type { Action, AddFile, RemoveFile } from '../src/actions/types.js'
import { checkConflicts, isBlindAppend } from '../src/transaction/conflicts.js'
import type { ConflictReason, ReadPredicate, TransactionRecord, WinningCommit } from '../src/transaction/conflicts.js'
import type { IsolationLevel } from '../src/protocol/table-config.js'

// Files live in partition `p` (`a` or `b`); the name says which.
const addFile = (path: string, dataChange = true): Action => ({
  kind: 'add',
  add: { path, partitionValues: { p: path.slice(0, 1) }, size: 1, modificationTime: 0, dataChange } satisfies AddFile,
})
const removeFile = (path: string, dataChange = true): Action => ({
  kind: 'remove',
  remove: { path, dataChange, deletionTimestamp: 0 } satisfies RemoveFile,
})
const info = (isBlindAppend: boolean): Action => ({ kind: 'commitInfo', commitInfo: { operation: 'X', isBlindAppend } })
const metadata: Action = {
  kind: 'metaData',
  metaData: { id: 'x', format: { provider: 'parquet', options: {} }, schemaString: '{}', partitionColumns: ['p'], configuration: {} },
}
const protocol: Action = { kind: 'protocol', protocol: { minReaderVersion: 1, minWriterVersion: 3 } }
const txn = (appId: string): Action => ({ kind: 'txn', txn: { appId, version: 1 } })
const domain = (name: string): Action => ({ kind: 'domainMetadata', domainMetadata: { domain: name, configuration: '{}', removed: false } })
const inPartition = (value: string): ReadPredicate => (pv) => pv['p'] === value

function record(over: Partial<TransactionRecord>): TransactionRecord {
  return { readVersion: 0, readPredicates: [], readFiles: new Set(), readWholeTable: false, readAppIds: new Set(), actions: [], ...over }
}

// Our transactions (rows of the table in protocol-notes §6).
const ours = {
  blindInsert: record({ actions: [info(true), addFile('a-new')] }),
  updateInA: record({ readPredicates: [inPartition('a')], readFiles: new Set(['a1']), actions: [info(false), removeFile('a1'), addFile('a-upd')] }),
  optimizeA: record({ readFiles: new Set(['a1', 'a2']), actions: [info(false), removeFile('a1', false), removeFile('a2', false), addFile('a-big', false)] }),
  replaceWhereA: record({ readPredicates: [inPartition('a')], readFiles: new Set(['a1', 'a2']), actions: [info(false), removeFile('a1'), removeFile('a2'), addFile('a-rw')] }),
  fullOverwrite: record({ readWholeTable: true, readFiles: new Set(['a1', 'a2', 'b1']), actions: [info(false), removeFile('a1'), removeFile('a2'), removeFile('b1'), addFile('a-ow')] }),
  appTxn: record({ readAppIds: new Set(['job-1']), actions: [info(true), txn('job-1'), addFile('a-job')] }),
  mergeSchemaAppend: record({ actions: [info(true), metadata, addFile('a-m')] }),
  overwriteSchema: record({ readWholeTable: true, readFiles: new Set(['a1', 'b1']), actions: [info(false), metadata, removeFile('a1'), removeFile('b1'), addFile('a-os')] }),
  create: record({ readVersion: -1, actions: [info(false), protocol, metadata, addFile('a-c')] }),
  deleteByPath: record({ actions: [info(false), removeFile('b1')] }),
  // a DELETE with deletion vectors that read a1 and a2 and marked rows of a1: remove + re-add of a1
  dvDeleteA1: record({ readPredicates: [inPartition('a')], readFiles: new Set(['a1', 'a2']), actions: [info(false), removeFile('a1'), addFile('a1')] }),
  mergeReadingA1: record({ readPredicates: [inPartition('z')], readFiles: new Set(['a1']), actions: [info(false), addFile('z-new')] }),
}

// Winning commits (columns of the table).
const winners: Record<string, WinningCommit> = {
  blindInsertA: { version: 1, actions: [info(true), addFile('a-w')] },
  blindInsertB: { version: 1, actions: [info(true), addFile('b-w')] },
  updateA: { version: 1, actions: [info(false), removeFile('a1'), addFile('a-w2')] },
  updateB: { version: 1, actions: [info(false), removeFile('b1'), addFile('b-w2')] },
  optimizeA: { version: 1, actions: [info(false), removeFile('a1', false), removeFile('a2', false), addFile('a-w3', false)] },
  optimizeB: { version: 1, actions: [info(false), removeFile('b1', false), addFile('b-w3', false)] },
  metadata: { version: 1, actions: [info(false), metadata] },
  protocol: { version: 1, actions: [info(false), protocol] },
  appTxn: { version: 1, actions: [info(true), txn('job-1'), addFile('b-job')] },
  otherAppTxn: { version: 1, actions: [info(true), txn('job-2'), addFile('b-job')] },
}

type Row = [string, TransactionRecord, WinningCommit, IsolationLevel, ConflictReason | 'ok']

const table: Row[] = [
  // blind INSERT (append)
  ['blind insert vs blind insert', ours.blindInsert, winners.blindInsertA!, 'WriteSerializable', 'ok'],
  ['blind insert vs blind insert (Serializable)', ours.blindInsert, winners.blindInsertA!, 'Serializable', 'ok'],
  ['blind insert vs update', ours.blindInsert, winners.updateA!, 'Serializable', 'ok'],
  ['blind insert vs optimize', ours.blindInsert, winners.optimizeA!, 'WriteSerializable', 'ok'],
  ['blind insert vs metadata change', ours.blindInsert, winners.metadata!, 'WriteSerializable', 'MetadataChanged'],
  ['blind insert vs protocol change', ours.blindInsert, winners.protocol!, 'WriteSerializable', 'ProtocolChanged'],
  // UPDATE/DELETE/MERGE
  ['update vs blind insert into read partition (WriteSerializable)', ours.updateInA, winners.blindInsertA!, 'WriteSerializable', 'ok'],
  ['update vs blind insert into read partition (Serializable)', ours.updateInA, winners.blindInsertA!, 'Serializable', 'ConcurrentAppend'],
  ['update vs blind insert elsewhere (Serializable)', ours.updateInA, winners.blindInsertB!, 'Serializable', 'ok'],
  ['update vs update adding matching files', ours.updateInA, winners.updateA!, 'WriteSerializable', 'ConcurrentAppend'],
  ['update vs update in another partition', ours.updateInA, winners.updateB!, 'WriteSerializable', 'ok'],
  ['update vs optimize of files it removes', ours.updateInA, winners.optimizeA!, 'WriteSerializable', 'ConcurrentDeleteDelete'],
  ['update vs optimize elsewhere', ours.updateInA, winners.optimizeB!, 'WriteSerializable', 'ok'],
  ['update vs metadata change', ours.updateInA, winners.metadata!, 'WriteSerializable', 'MetadataChanged'],
  ['update vs protocol change', ours.updateInA, winners.protocol!, 'WriteSerializable', 'ProtocolChanged'],
  // OPTIMIZE
  ['optimize vs blind insert', ours.optimizeA, winners.blindInsertA!, 'Serializable', 'ok'],
  // a path both remove is a double delete, checked before delete-read (Spark checks delete-read first)
  ['optimize vs update removing compacted files', ours.optimizeA, winners.updateA!, 'WriteSerializable', 'ConcurrentDeleteDelete'],
  ['optimize vs update elsewhere', ours.optimizeA, winners.updateB!, 'WriteSerializable', 'ok'],
  ['optimize vs optimize of the same files', ours.optimizeA, winners.optimizeA!, 'WriteSerializable', 'ConcurrentDeleteDelete'],
  ['optimize vs optimize of other files', ours.optimizeA, winners.optimizeB!, 'WriteSerializable', 'ok'],
  ['optimize vs metadata change', ours.optimizeA, winners.metadata!, 'WriteSerializable', 'MetadataChanged'],
  ['optimize vs protocol change', ours.optimizeA, winners.protocol!, 'WriteSerializable', 'ProtocolChanged'],
  // replaceWhere on partition a
  ['replaceWhere vs blind insert into the partition (WriteSerializable: allowed)', ours.replaceWhereA, winners.blindInsertA!, 'WriteSerializable', 'ok'],
  ['replaceWhere vs blind insert into the partition (Serializable)', ours.replaceWhereA, winners.blindInsertA!, 'Serializable', 'ConcurrentAppend'],
  ['replaceWhere vs blind insert elsewhere (Serializable)', ours.replaceWhereA, winners.blindInsertB!, 'Serializable', 'ok'],
  ['replaceWhere vs update in a disjoint partition', ours.replaceWhereA, winners.updateB!, 'WriteSerializable', 'ok'],
  ['replaceWhere vs update in the same partition', ours.replaceWhereA, winners.updateA!, 'WriteSerializable', 'ConcurrentAppend'],
  ['replaceWhere vs replaceWhere on the same partition', ours.replaceWhereA, { version: 1, actions: ours.replaceWhereA.actions }, 'WriteSerializable', 'ConcurrentAppend'],
  ['replaceWhere vs optimize in the partition', ours.replaceWhereA, winners.optimizeA!, 'WriteSerializable', 'ConcurrentDeleteDelete'],
  ['replaceWhere vs optimize elsewhere', ours.replaceWhereA, winners.optimizeB!, 'WriteSerializable', 'ok'],
  ['replaceWhere vs metadata change', ours.replaceWhereA, winners.metadata!, 'WriteSerializable', 'MetadataChanged'],
  ['replaceWhere vs protocol change', ours.replaceWhereA, winners.protocol!, 'WriteSerializable', 'ProtocolChanged'],
  // full overwrite
  ['full overwrite vs blind insert (WriteSerializable: appended rows are kept)', ours.fullOverwrite, winners.blindInsertB!, 'WriteSerializable', 'ok'],
  ['full overwrite vs blind insert (Serializable)', ours.fullOverwrite, winners.blindInsertB!, 'Serializable', 'ConcurrentAppend'],
  ['full overwrite vs update', ours.fullOverwrite, winners.updateB!, 'WriteSerializable', 'ConcurrentAppend'],
  ['full overwrite vs delete-only commit', ours.fullOverwrite, { version: 1, actions: [info(false), removeFile('b9')] }, 'WriteSerializable', 'ConcurrentDeleteRead'],
  ['full overwrite vs optimize', ours.fullOverwrite, winners.optimizeB!, 'WriteSerializable', 'ConcurrentDeleteDelete'],
  ['full overwrite vs metadata change', ours.fullOverwrite, winners.metadata!, 'WriteSerializable', 'MetadataChanged'],
  ['full overwrite vs protocol change', ours.fullOverwrite, winners.protocol!, 'WriteSerializable', 'ProtocolChanged'],
  // app txn
  ['txn for app A vs winner txn for app A', ours.appTxn, winners.appTxn!, 'WriteSerializable', 'ConcurrentTransaction'],
  ['txn for app A vs winner txn for another app', ours.appTxn, winners.otherAppTxn!, 'WriteSerializable', 'ok'],
  // schema change racing an append
  ['mergeSchema append vs blind insert (metadata change includes blind appends, but reads nothing)', ours.mergeSchemaAppend, winners.blindInsertA!, 'WriteSerializable', 'ok'],
  ['mergeSchema append vs metadata change', ours.mergeSchemaAppend, winners.metadata!, 'WriteSerializable', 'MetadataChanged'],
  // overwriteSchema: a metadata change includes blind appends, so an append written with the old schema cannot survive it
  ['overwriteSchema vs blind insert (WriteSerializable)', ours.overwriteSchema, winners.blindInsertB!, 'WriteSerializable', 'ConcurrentAppend'],
  // table creation racing table creation (both write version 0)
  ['create vs concurrent create', ours.create, { version: 0, actions: [info(false), protocol, metadata] }, 'WriteSerializable', 'ProtocolChanged'],
  // a remove by path that read nothing: only the double delete catches it
  ['delete by path vs update removing the same file', ours.deleteByPath, winners.updateB!, 'WriteSerializable', 'ConcurrentDeleteDelete'],
  ['delete by path vs optimize removing the same file', ours.deleteByPath, winners.optimizeB!, 'WriteSerializable', 'ConcurrentDeleteDelete'],
  // compaction removes are lenient for delete-read (delta-rs): rows moved, not changed
  ['merge that read a file vs optimize compacting it (not removed by us)', ours.mergeReadingA1, winners.optimizeA!, 'WriteSerializable', 'ok'],
  ['merge that read a file vs update removing it', ours.mergeReadingA1, winners.updateA!, 'WriteSerializable', 'ConcurrentDeleteRead'],
  // deletion vectors: a winner's remove + re-add of one path is not an append (same file, fewer rows)
  ['DV delete vs DV delete of the same file', ours.dvDeleteA1, { version: 1, actions: [info(false), removeFile('a1'), addFile('a1')] }, 'WriteSerializable', 'ConcurrentDeleteDelete'],
  ['DV delete vs DV delete of another file it read', ours.dvDeleteA1, { version: 1, actions: [info(false), removeFile('a2'), addFile('a2')] }, 'WriteSerializable', 'ConcurrentDeleteRead'],
  ['DV delete vs DV delete of a file it did not read', ours.dvDeleteA1, { version: 1, actions: [info(false), removeFile('a3'), addFile('a3')] }, 'WriteSerializable', 'ok'],
  ['DV delete vs update adding a new file where it read', ours.dvDeleteA1, { version: 1, actions: [info(false), removeFile('a3'), addFile('a3'), addFile('a-new')] }, 'WriteSerializable', 'ConcurrentAppend'],
  // row-level-plan §15: delete-read ignores dataChange=false removes; compacting a file we only read is harmless, one we change is a double delete
  ['DV delete vs optimize compacting a file it only read', ours.dvDeleteA1, { version: 1, actions: [info(false), removeFile('a2', false), addFile('a-big', false)] }, 'WriteSerializable', 'ok'],
  ['DV delete vs optimize compacting the file it changes', ours.dvDeleteA1, { version: 1, actions: [info(false), removeFile('a1', false), addFile('a-big', false)] }, 'WriteSerializable', 'ConcurrentDeleteDelete'],
  // order of the checks: metadata before app txn
  ['txn for app A vs winner with metadata and txn A (metadata is checked first)', ours.appTxn, { version: 1, actions: [info(false), metadata, txn('job-1')] }, 'WriteSerializable', 'MetadataChanged'],
]

describe('checkConflicts', () => {
  it.each(table)('%s', (_name, mine, winner, isolation, expected) => {
    const result = checkConflicts(mine, winner, isolation)
    if (expected === 'ok') expect(result).toEqual({ status: 'ok' })
    else expect(result).toMatchObject({ status: 'conflict', reason: expected })
  })

  it('lets a winner protocol change through when we can write it and do not change protocol ourselves', () => {
    const isProtocolWritable = (): boolean => true
    expect(checkConflicts(ours.blindInsert, winners.protocol!, 'WriteSerializable', { isProtocolWritable })).toEqual({ status: 'ok' })
    const creating = record({ actions: [protocol, metadata, addFile('a-0')] })
    expect(checkConflicts(creating, { version: 0, actions: [protocol, metadata] }, 'WriteSerializable', { isProtocolWritable })).toMatchObject({ reason: 'ProtocolChanged' })
  })

  it('lets a commit of commitInfo only (VACUUM START/END) through anything but a protocol change', () => {
    const vacuumPhase = record({ actions: [] })
    const everything: WinningCommit = { version: 1, actions: [info(false), metadata, txn('job-1'), domain('d'), removeFile('a1'), addFile('a-x')] }
    expect(checkConflicts(vacuumPhase, everything, 'Serializable')).toEqual({ status: 'ok' })
    expect(checkConflicts(vacuumPhase, { version: 1, actions: [protocol] }, 'Serializable')).toMatchObject({ reason: 'ProtocolChanged' })
  })

  it('conflicts on a domain both commits write', () => {
    const mine = record({ actions: [domain('app.x'), addFile('a-d')] })
    expect(checkConflicts(mine, { version: 3, actions: [domain('app.x')] }, 'WriteSerializable')).toMatchObject({ reason: 'ConcurrentDomainMetadata' })
    expect(checkConflicts(mine, { version: 3, actions: [domain('app.y')] }, 'WriteSerializable')).toEqual({ status: 'ok' })
  })

  it('treats appIds of our own txn actions as read', () => {
    const mine = record({ actions: [txn('job-1'), addFile('a-j')] })
    expect(checkConflicts(mine, winners.appTxn!, 'WriteSerializable')).toMatchObject({ reason: 'ConcurrentTransaction' })
  })

  it('treats a winner without commitInfo as not a blind append', () => {
    const winner: WinningCommit = { version: 1, actions: [addFile('a-x')] }
    expect(checkConflicts(ours.updateInA, winner, 'WriteSerializable')).toMatchObject({ reason: 'ConcurrentAppend' })
  })

  it('passes partition values and stats to read predicates', () => {
    const seen: unknown[] = []
    const spy: ReadPredicate = (pv, stats) => (seen.push([pv, stats]), false)
    const winner: WinningCommit = { version: 2, actions: [{ kind: 'add', add: { path: 'a-s', partitionValues: { p: 'a' }, size: 1, modificationTime: 0, dataChange: true, stats: '{"numRecords":1}' } }] }
    checkConflicts(record({ readPredicates: [spy], actions: [addFile('a-q')] }), winner, 'WriteSerializable')
    expect(seen).toEqual([[{ p: 'a' }, '{"numRecords":1}']])
  })

  it('says which version, what it did and what we read in the message', () => {
    const result = checkConflicts({ ...ours.updateInA, readVersion: 4 }, { ...winners.updateA!, version: 6 }, 'WriteSerializable')
    expect(result).toEqual({
      status: 'conflict',
      reason: 'ConcurrentAppend',
      message: "concurrent commit at version 6 (this transaction read version 4) added file 'a-w2', which matches what this transaction read",
    })
  })
})

describe('isBlindAppend', () => {
  it.each<[string, TransactionRecord, boolean]>([
    ['an append that read nothing', ours.blindInsert, true],
    ['an append with a txn', ours.appTxn, true],
    ['an update', ours.updateInA, false],
    ['an append that read a file', record({ readFiles: new Set(['a1']), actions: [addFile('x')] }), false],
    ['an append that scanned with a predicate', record({ readPredicates: [inPartition('a')], actions: [addFile('x')] }), false],
  ])('%s: %s', (_name, rec, expected) => {
    expect(isBlindAppend(rec)).toBe(expected)
  })
})
