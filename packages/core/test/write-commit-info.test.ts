import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { LAKE_VERSION, buildCommitInfo } from '../src/transaction/commit-info.js'
import type { CommitInfoInput, CommitOperation } from '../src/transaction/commit-info.js'

const base: Omit<CommitInfoInput, 'operation'> = {
  timestamp: 1_700_000_000_000,
  isolationLevel: 'WriteSerializable',
  isBlindAppend: true,
  txnId: '8c9f4d2d-645f-4f02-b13b-aa6da098716c',
}

describe('buildCommitInfo', () => {
  it('writes an append like Spark, fields in Spark order, metrics as strings', () => {
    const info = buildCommitInfo({
      ...base,
      readVersion: 3,
      operation: { kind: 'write', mode: 'Append', partitionBy: [] },
      operationMetrics: { numFiles: 1, numOutputRows: 10n, numOutputBytes: 539 },
    })
    expect(JSON.stringify(info)).toBe(
      '{"timestamp":1700000000000,"operation":"WRITE","operationParameters":{"mode":"Append","partitionBy":"[]"},' +
        '"readVersion":3,"isolationLevel":"WriteSerializable","isBlindAppend":true,' +
        '"operationMetrics":{"numFiles":"1","numOutputRows":"10","numOutputBytes":"539"},' +
        `"engineInfo":"lake/${LAKE_VERSION}","txnId":"8c9f4d2d-645f-4f02-b13b-aa6da098716c"}`,
    )
  })

  it('puts the in-commit timestamp first and omits readVersion for a new table', () => {
    const info = buildCommitInfo({ ...base, inCommitTimestamp: 1_700_000_000_001, operation: { kind: 'write', mode: 'ErrorIfExists', partitionBy: ['date'] } })
    expect(Object.keys(info)).toEqual(['inCommitTimestamp', 'timestamp', 'operation', 'operationParameters', 'isolationLevel', 'isBlindAppend', 'operationMetrics', 'engineInfo', 'txnId'])
    expect(info.operationParameters).toEqual({ mode: 'ErrorIfExists', partitionBy: '["date"]' })
  })

  it.each<[string, CommitOperation, string, Record<string, unknown>]>([
    ['replaceWhere', { kind: 'write', mode: 'Overwrite', partitionBy: ['date'], predicate: "date = '2024-01-01'" }, 'WRITE',
      { mode: 'Overwrite', partitionBy: '["date"]', predicate: "date = '2024-01-01'" }],
    ['create table', { kind: 'createTable', partitionBy: ['p'], properties: { 'delta.checkpointInterval': '2' } }, 'CREATE TABLE',
      { partitionBy: '["p"]', clusterBy: '[]', description: null, isManaged: 'false', properties: '{"delta.checkpointInterval":"2"}' }],
    ['create or replace', { kind: 'createTable', replace: true, partitionBy: [], description: 'd', properties: {} }, 'CREATE OR REPLACE TABLE',
      { partitionBy: '[]', clusterBy: '[]', description: 'd', isManaged: 'false', properties: '{}' }],
    ['delete', { kind: 'delete', predicate: 'id > 5' }, 'DELETE', { predicate: '["id > 5"]' }],
    ['optimize', { kind: 'optimize' }, 'OPTIMIZE', { predicate: '[]', zOrderBy: '[]', auto: 'false' }],
    ['restore', { kind: 'restore', version: 1 }, 'RESTORE', { version: 1, timestamp: null }],
    ['custom', { kind: 'custom', operation: 'SET TBLPROPERTIES', parameters: { properties: { a: '1' } } }, 'SET TBLPROPERTIES', { properties: '{"a":"1"}' }],
  ])('encodes the parameters of %s', (_name, operation, name, parameters) => {
    const info = buildCommitInfo({ ...base, operation })
    expect(info.operation).toBe(name)
    expect(info.operationParameters).toEqual(parameters)
  })

  it('keeps LAKE_VERSION equal to the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
    expect(LAKE_VERSION).toBe(pkg.version)
  })
})
