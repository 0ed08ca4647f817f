// The ordering guard of LogReplay: a checkpoint comes first (possibly in several batches of the same
// version), then commits in contiguous ascending versions. Anything else is a CorruptLog with the
// offending version, and leaves the state as it was.

import { describe, expect, it } from 'vitest'
import { LogReplay } from '../src/internal.js'
import type { Action } from '../src/internal.js'
import { add, commitInfo, metadata, protocol, remove } from './helpers/actions.js'

const base: Action[] = [protocol(), metadata()]
const paths = (log: LogReplay): string[] => [...log.state().files.values()].map((f) => f.path).sort()

function corrupt(fn: () => void): unknown {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a CorruptLog error, found none')
}

describe('LogReplay ordering', () => {
  it('accepts a checkpoint in several batches of its version, then the next commit', () => {
    const log = new LogReplay()
    log.applyCheckpoint(5, [...base, add('a')])
    log.applyCheckpoint(5, [add('b')])
    log.applyCommit(6, [add('c')])
    expect(paths(log)).toEqual(['a', 'b', 'c'])
  })

  it('accepts a checkpoint at version 0 followed by commit 1', () => {
    const log = new LogReplay()
    log.applyCheckpoint(0, [...base, add('a')])
    log.applyCommit(1, [add('b')])
    expect(paths(log)).toEqual(['a', 'b'])
  })

  it('refuses a checkpoint at the version of the last commit', () => {
    const log = new LogReplay()
    log.applyCommit(0, [...base, add('a')])
    const err = corrupt(() => log.applyCheckpoint(0, [add('z')]))
    expect(err).toMatchObject({ code: 'CorruptLog', message: 'checkpoint 0 applied after version 0: expected it first' })
    expect(paths(log)).toEqual(['a'])
  })

  it('refuses a second checkpoint of another version', () => {
    const log = new LogReplay()
    log.applyCheckpoint(3, [...base, add('a')])
    const err = corrupt(() => log.applyCheckpoint(4, [add('z')]))
    expect(err).toMatchObject({ code: 'CorruptLog', message: 'checkpoint 4 applied after version 3: expected it first' })
    expect(paths(log)).toEqual(['a'])
  })

  it('refuses a checkpoint batch after a commit that followed it', () => {
    const log = new LogReplay()
    log.applyCheckpoint(3, [...base, add('a')])
    log.applyCommit(4, [add('b')])
    expect(corrupt(() => log.applyCheckpoint(4, [add('z')]))).toMatchObject({ code: 'CorruptLog' })
    expect(corrupt(() => log.applyCheckpoint(3, [add('z')]))).toMatchObject({ code: 'CorruptLog' })
    expect(paths(log)).toEqual(['a', 'b'])
  })

  it.each([
    [2, 'commit 2 applied after version 0: expected 1'],
    [0, 'commit 0 applied after version 0: expected 1'],
  ])('refuses commit %i after commit 0 with the version in the context', (version, message) => {
    const log = new LogReplay()
    log.applyCommit(0, [...base, add('a')])
    const err = corrupt(() => log.applyCommit(version, [remove('a')]))
    expect(err).toMatchObject({ code: 'CorruptLog', message, context: { version } })
    expect(paths(log)).toEqual(['a'])
  })

  it('refuses a commit that does not follow the checkpoint', () => {
    const log = new LogReplay()
    log.applyCheckpoint(7, [...base, add('a')])
    expect(corrupt(() => log.applyCommit(7, []))).toMatchObject({ code: 'CorruptLog', context: { version: 7 } })
    expect(corrupt(() => log.applyCommit(9, []))).toMatchObject({ code: 'CorruptLog', context: { version: 9 } })
    log.applyCommit(8, [add('b')])
    expect(paths(log)).toEqual(['a', 'b'])
  })

  it('starts at any version when nothing was applied yet', () => {
    const log = new LogReplay()
    log.applyCommit(12, [...base, add('a')])
    log.applyCommit(13, [add('b')])
    expect(paths(log)).toEqual(['a', 'b'])
  })

  it('forgets the commitInfo of earlier commits and of the checkpoint', () => {
    const log = new LogReplay()
    log.applyCheckpoint(1, [...base, commitInfo({ operation: 'WRITE' })])
    expect(log.state()).not.toHaveProperty('commitInfo')
    log.applyCommit(2, [commitInfo({ operation: 'DELETE' })])
    expect(log.state().commitInfo?.operation).toBe('DELETE')
    log.applyCommit(3, [add('x')])
    expect(log.state()).not.toHaveProperty('commitInfo')
  })

  it('names the missing action and the version in the error of state()', () => {
    const log = new LogReplay()
    log.applyCommit(4, [protocol()])
    expect(corrupt(() => log.state())).toMatchObject({
      code: 'CorruptLog',
      message: 'log replay to version 4: expected a metaData action, found none',
      context: { version: 4 },
    })
    const empty = new LogReplay()
    expect(corrupt(() => empty.state())).toMatchObject({
      message: 'log replay to version -1: expected a protocol action, found none',
      context: { version: -1 },
    })
  })
})
