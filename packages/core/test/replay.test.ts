// Log replay per PROTOCOL.md#Action Reconciliation, with properties: order independence within a
// version, remove-then-add across versions, idempotent re-replay.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { LogReplay, replay } from '../src/internal.js'
import type { Action, ReplayState } from '../src/internal.js'
import { add, commitInfo, domain, dv, metadata, protocol, remove, txn } from './helpers/actions.js'

const base: Action[] = [protocol(), metadata()]
const livePaths = (state: ReplayState): string[] => [...state.files.values()].map((f) => f.path).sort()

describe('replay', () => {
  it('keeps the latest protocol and metadata', () => {
    const state = replay(undefined, [
      { version: 0, actions: base },
      { version: 1, actions: [protocol(1, 4), metadata({ id: 'second' })] },
    ])
    expect(state.protocol.minWriterVersion).toBe(4)
    expect(state.metadata.id).toBe('second')
  })

  it('removes a file and keeps its tombstone', () => {
    const state = replay(undefined, [
      { version: 0, actions: [...base, add('a'), add('b')] },
      { version: 1, actions: [remove('a')] },
    ])
    expect(livePaths(state)).toEqual(['b'])
    expect([...state.tombstones.values()].map((r) => r.path)).toEqual(['a'])
  })

  it('re-adds a removed path in a later transaction and drops its tombstone', () => {
    // golden delete-re-add-same-file-different-transactions
    const state = replay(undefined, [
      { version: 0, actions: [...base, add('foo', { modificationTime: 1 })] },
      { version: 1, actions: [remove('foo')] },
      { version: 2, actions: [add('foo', { modificationTime: 2 })] },
      { version: 3, actions: [add('bar')] },
    ])
    expect(livePaths(state)).toEqual(['bar', 'foo'])
    expect([...state.files.values()].find((f) => f.path === 'foo')?.modificationTime).toBe(2)
    expect(state.tombstones.size).toBe(0)
  })

  it('keys files by path and deletion vector', () => {
    // golden log-replay-dv-key-cases: remove(p, dv1) + add(p, dv2) in one commit
    const state = replay(undefined, [
      { version: 0, actions: [...base, add('p')] },
      { version: 1, actions: [remove('p'), add('p', { deletionVector: dv('one', 1) })] },
      { version: 2, actions: [remove('p', { deletionVector: dv('one', 1) }), add('p', { deletionVector: dv('two', 2) })] },
    ])
    expect(state.files.size).toBe(1)
    expect([...state.files.values()][0]?.deletionVector?.pathOrInlineDv).toBe('two')
    expect(state.tombstones.size).toBe(2)
  })

  it('keeps the latest txn per appId and live domain metadata', () => {
    const state = replay(undefined, [
      { version: 0, actions: [...base, txn('a', 1), txn('b', 5), domain('d1', '{}'), domain('d2', 'x')] },
      { version: 1, actions: [txn('a', 2), domain('d1', '', true), domain('d2', 'y')] },
    ])
    expect(state.appTransactions.get('a')?.version).toBe(2)
    expect(state.appTransactions.get('b')?.version).toBe(5)
    expect([...state.domainMetadata.keys()]).toEqual(['d2'])
    expect(state.domainMetadata.get('d2')?.configuration).toBe('y')
  })

  it('exposes the commitInfo of the last commit only', () => {
    const state = replay(undefined, [
      { version: 0, actions: [commitInfo({ operation: 'CREATE' }), ...base] },
      { version: 1, actions: [add('x')] },
    ])
    expect(state.commitInfo).toBeUndefined()
    const withInfo = replay(undefined, [{ version: 0, actions: [commitInfo({ operation: 'CREATE' }), ...base] }])
    expect(withInfo.commitInfo?.operation).toBe('CREATE')
  })

  it('starts from a checkpoint', () => {
    const state = replay({ version: 10, actions: [...base, add('a'), remove('old')] }, [{ version: 11, actions: [add('b')] }])
    expect(livePaths(state)).toEqual(['a', 'b'])
    expect(state.tombstones.size).toBe(1)
  })

  it.each([
    ['protocol', [metadata()]],
    ['metaData', [protocol()]],
  ])('fails with CorruptLog when no %s action was seen', (missing, actions) => {
    expect(() => replay(undefined, [{ version: 0, actions }])).toThrow(expect.objectContaining({ code: 'CorruptLog' }))
    expect(() => replay(undefined, [{ version: 0, actions }])).toThrow(missing)
  })

  it('refuses commits out of order', () => {
    const log = new LogReplay()
    log.applyCommit(0, base)
    expect(() => log.applyCommit(2, [])).toThrow(expect.objectContaining({ code: 'CorruptLog' }))
    expect(() => log.applyCheckpoint(1, [])).toThrow(expect.objectContaining({ code: 'CorruptLog' }))
  })
})

/** Random commits over a few paths, each commit a legal set (at most one add and one remove per key). */
const commitArb = fc
  .array(fc.record({ path: fc.constantFrom('a', 'b', 'c', 'd'), op: fc.constantFrom('add', 'remove'), dvId: fc.constantFrom(undefined, 'x', 'y') }), {
    maxLength: 6,
  })
  .map((ops) => {
    const seen = new Set<string>()
    return ops.flatMap(({ path, op, dvId }): Action[] => {
      const key = `${op}:${path}:${dvId ?? ''}`
      if (seen.has(key) || seen.has(`${op === 'add' ? 'remove' : 'add'}:${path}:${dvId ?? ''}`)) return []
      seen.add(key)
      const extra = dvId === undefined ? {} : { deletionVector: dv(dvId) }
      return [op === 'add' ? add(path, extra) : remove(path, extra)]
    })
  })

const logArb = fc.array(commitArb, { minLength: 1, maxLength: 8 })

function summary(state: ReplayState): unknown {
  return { files: [...state.files.keys()].sort(), tombstones: [...state.tombstones.keys()].sort() }
}

describe('replay properties', () => {
  it('does not depend on the order of actions within a commit', () => {
    fc.assert(
      fc.property(logArb, fc.infiniteStream(fc.nat()), (commits, seeds) => {
        const shuffled = commits.map((actions) => [...actions].sort(() => (seeds.next().value % 3) - 1))
        const run = (cs: Action[][]): ReplayState => replay(undefined, cs.map((actions, i) => ({ version: i, actions: i === 0 ? [...base, ...actions] : actions })))
        expect(summary(run(shuffled))).toEqual(summary(run(commits)))
      }),
    )
  })

  it('gives the same state when the result is replayed again as a checkpoint', () => {
    fc.assert(
      fc.property(logArb, (commits) => {
        const first = replay(undefined, commits.map((actions, i) => ({ version: i, actions: i === 0 ? [...base, ...actions] : actions })))
        const asCheckpoint: Action[] = [
          { kind: 'protocol', protocol: first.protocol },
          { kind: 'metaData', metaData: first.metadata },
          ...[...first.files.values()].map((f): Action => ({ kind: 'add', add: f })),
          ...[...first.tombstones.values()].map((r): Action => ({ kind: 'remove', remove: r })),
        ]
        expect(summary(replay({ version: commits.length - 1, actions: asCheckpoint }, []))).toEqual(summary(first))
      }),
    )
  })

  it('makes a later add win over an earlier remove of the same key and vice versa', () => {
    fc.assert(
      fc.property(logArb, fc.constantFrom('a', 'b'), fc.boolean(), (commits, path, addLast) => {
        const last = addLast ? add(path) : remove(path)
        const all = [...commits, [last]]
        const state = replay(undefined, all.map((actions, i) => ({ version: i, actions: i === 0 ? [...base, ...actions] : actions })))
        expect(state.files.has(path)).toBe(addLast)
        expect(state.tombstones.has(path)).toBe(!addLast)
      }),
    )
  })
})
