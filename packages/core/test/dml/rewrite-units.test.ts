// The pure pieces of row-level rewrites: candidate files, per-file outcomes, loosened stats, DELETE's
// plan and metrics.

import { describe, expect, it } from 'vitest'
import type { AddFile } from '../../src/internal.js'
import { candidateFiles, deleteMetrics, fileOutcome, looseStats, planDelete, parseTableConfig } from '../../src/internal.js'
import { compileFilePredicate } from '../../src/expr/file-predicate.js'
import { dv, FILES, SCHEMA } from './helpers.js'

const paths = (files: readonly AddFile[]): string[] => files.map((f) => f.path)

describe('candidateFiles', () => {
  it.each<[string | undefined, string[], string[]]>([
    [undefined, ['a1', 'a2', 'b1'], []],
    ["p = 'a'", ['a1', 'a2'], []],
    ["p = 'z'", [], []],
    ['id >= 10', [], ['a2']],
    ["id < 5 AND p = 'b'", [], ['b1']],
    ['v IS NULL', [], ['a1', 'a2', 'b1']],
  ])('%s → whole %j, read %j', (text, whole, read) => {
    const predicate = text === undefined ? undefined : compileFilePredicate(text, SCHEMA, ['p'])
    const result = candidateFiles(FILES, predicate)
    expect([paths(result.whole), paths(result.read)]).toEqual([whole, read])
  })
})

describe('fileOutcome', () => {
  const kept = [{ id: 1n }]
  it.each([
    ['no affected row', { liveRows: 3, affected: [], keptRows: kept }, 'deletionVectors', { kind: 'untouched' }],
    ['every live row', { liveRows: 2, affected: [4, 7], keptRows: [] }, 'deletionVectors', { kind: 'removeWhole' }],
    ['some rows, DV', { liveRows: 3, affected: [4, 7], keptRows: [] }, 'deletionVectors', { kind: 'markRows', rowIndexes: [4, 7] }],
    ['some rows, copy-on-write', { liveRows: 3, affected: [4, 7], keptRows: kept }, 'copyOnWrite', { kind: 'rewrite', keptRows: kept }],
    ['every live row replaced, copy-on-write (UPDATE)', { liveRows: 1, affected: [0], keptRows: kept }, 'copyOnWrite', { kind: 'rewrite', keptRows: kept }],
    ['every live row replaced, DV (new rows go elsewhere)', { liveRows: 2, affected: [0, 1], keptRows: [] }, 'deletionVectors', { kind: 'removeWhole' }],
  ] as const)('%s', (_name, read, mode, expected) => {
    expect(fileOutcome(read, mode)).toEqual(expected)
  })
})

describe('looseStats', () => {
  it.each([
    ['{"numRecords":10,"minValues":{"id":1}}', 10, '{"numRecords":10,"minValues":{"id":1},"tightBounds":false}'],
    ['{"numRecords":10,"tightBounds":true}', 10, '{"numRecords":10,"tightBounds":false}'],
    ['{"numRecords":10,"tightBounds":false}', 10, '{"numRecords":10,"tightBounds":false}'],
    ['{"numRecords":12345678901234567890123,"maxValues":{"d":1.10}}', 3, '{"numRecords":3,"tightBounds":false}'],
    ['{"numRecords":7,"maxValues":{"d":1.10}}', 7, '{"numRecords":7,"maxValues":{"d":1.10},"tightBounds":false}'],
    [null, 42, '{"numRecords":42,"tightBounds":false}'],
    ['{}', 5, '{"numRecords":5,"tightBounds":false}'],
  ])('%s (%d physical rows) → %s', (stats, rows, expected) => {
    expect(looseStats(stats, rows)).toBe(expected)
  })
})

describe('planDelete', () => {
  const snapshot = (dvOn: boolean) => ({
    schema: SCHEMA,
    partitionColumns: ['p'],
    config: parseTableConfig(dvOn ? { 'delta.enableDeletionVectors': 'true' } : {}),
    files: () => FILES,
  })
  it('chooses deletion vectors from the table property and binds the predicate before any I/O', () => {
    expect(planDelete(snapshot(true), 'id >= 10')).toMatchObject({ mode: 'deletionVectors', whole: [], read: [FILES[1]] })
    expect(planDelete(snapshot(false))).toMatchObject({ mode: 'copyOnWrite', predicate: undefined, whole: FILES, read: [] })
    expect(() => planDelete(snapshot(true), 'missing > 1')).toThrow(expect.objectContaining({ name: 'PredicateError', code: 'InvalidPredicate' }))
  })
})

describe('deleteMetrics', () => {
  it('counts removed files, DVs added/updated/removed, bytes and rows in Spark names', () => {
    const applied = {
      removes: [FILES[2] as AddFile],
      dvUpdates: new Map(),
      dvFiles: [FILES[0] as AddFile, { ...(FILES[1] as AddFile), deletionVector: dv(1) }],
      dvStats: new Map(),
      adds: [{ ...(FILES[0] as AddFile), path: 'new', size: 55 }],
      dvPath: undefined,
      copiedRows: 3,
    }
    const metrics = deleteMetrics({ deletedRowsRead: 9, applied, wholeUnread: [FILES[0] as AddFile], timesMs: { execution: 3, scan: 2, rewrite: 1 } })
    expect(metrics).toEqual({
      numDeletedRows: 19, numRemovedFiles: 2, numAddedFiles: 1, numCopiedRows: 3,
      numDeletionVectorsAdded: 1, numDeletionVectorsUpdated: 1, numDeletionVectorsRemoved: 1, numAddedChangeFiles: 0,
      numRemovedBytes: 200, numAddedBytes: 55, executionTimeMs: 3, scanTimeMs: 2, rewriteTimeMs: 1,
    })
  })
})
