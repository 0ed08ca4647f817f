// Builds the `commitInfo` action of every lake commit in the shape Spark writes, so `history` in
// any engine is informative. Pure: the timestamp and txn id are passed in.

import type { CommitInfo } from '../actions/types.js'
import type { IsolationLevel } from '../protocol/table-config.js'

/** The version of lake written into `engineInfo` (`lake/<version>`); kept equal to package.json by a test. */
export const LAKE_VERSION = '0.1.0'

/** Spark's SaveMode names, as written in `operationParameters.mode`. */
export type SaveModeName = 'Append' | 'Overwrite' | 'ErrorIfExists' | 'Ignore'

/** The operation of a commit and its parameters. */
export type CommitOperation =
  | { readonly kind: 'write'; readonly mode: SaveModeName; readonly partitionBy: readonly string[]; readonly predicate?: string }
  | {
      readonly kind: 'createTable'
      readonly replace?: boolean
      readonly partitionBy: readonly string[]
      readonly description?: string | null
      readonly properties: Readonly<Record<string, string>>
    }
  | { readonly kind: 'delete'; readonly predicate?: string }
  | { readonly kind: 'update'; readonly predicate?: string }
  | { readonly kind: 'optimize'; readonly predicate?: readonly string[]; readonly zOrderBy?: readonly string[] }
  | { readonly kind: 'reorg'; readonly predicate?: readonly string[]; readonly applyPurge: boolean }
  | { readonly kind: 'restore'; readonly version?: number; readonly timestamp?: string }
  | { readonly kind: 'vacuumStart'; readonly retentionCheckEnabled: boolean; readonly specifiedRetentionMillis?: number; readonly defaultRetentionMillis: number }
  | { readonly kind: 'vacuumEnd'; readonly status: 'COMPLETED' | 'FAILED' }
  | { readonly kind: 'custom'; readonly operation: string; readonly parameters: Readonly<Record<string, unknown>> }

/** Inputs of `buildCommitInfo`. */
export interface CommitInfoInput {
  /** Commit time in ms since the epoch (`engine.now()`). */
  readonly timestamp: number
  /** The in-commit timestamp, when the table has `delta.enableInCommitTimestamps` (written first). */
  readonly inCommitTimestamp?: number
  readonly operation: CommitOperation
  /** Counts written as strings, like Spark (`numFiles`, `numOutputRows`, `numOutputBytes`, `numRemovedFiles`, ...). */
  readonly operationMetrics?: Readonly<Record<string, number | bigint>>
  /** The snapshot version the transaction read; absent for a new table. */
  readonly readVersion?: number
  readonly isolationLevel: IsolationLevel
  readonly isBlindAppend: boolean
  /** A UUID identifying the transaction. */
  readonly txnId: string
  readonly userMetadata?: string
  /** Defaults to `lake/<LAKE_VERSION>`. */
  readonly engineInfo?: string
}

/**
 * The commitInfo of a commit, fields in Spark's order. `operationParameters` follow Spark's
 * encoding: strings as is, lists and maps as JSON text (`partitionBy: "[\"date\"]"`), booleans as
 * `"true"`/`"false"`, numbers and null as is. Operation names: `WRITE` (mode, partitionBy,
 * predicate for replaceWhere), `CREATE TABLE` / `CREATE OR REPLACE TABLE`, `DELETE`, `UPDATE`, `OPTIMIZE`,
 * `RESTORE`, `VACUUM START` (retentionCheckEnabled, defaultRetentionMillis,
 * specifiedRetentionMillis), `VACUUM END` (status `COMPLETED` or `FAILED`), or any custom name.
 * With an in-commit timestamp the commitInfo must be the commit's
 * first action (PROTOCOL.md#In-Commit Timestamps); callers put it first always, like Spark.
 */
export function buildCommitInfo(input: CommitInfoInput): CommitInfo {
  const [operation, parameters] = describeOperation(input.operation)
  const metrics: Record<string, string> = {}
  for (const [key, value] of Object.entries(input.operationMetrics ?? {})) metrics[key] = String(value)
  return {
    ...(input.inCommitTimestamp === undefined ? {} : { inCommitTimestamp: input.inCommitTimestamp }),
    timestamp: input.timestamp,
    operation,
    operationParameters: encodeParameters(parameters),
    ...(input.readVersion === undefined ? {} : { readVersion: input.readVersion }),
    isolationLevel: input.isolationLevel,
    isBlindAppend: input.isBlindAppend,
    operationMetrics: metrics,
    ...(input.userMetadata === undefined ? {} : { userMetadata: input.userMetadata }),
    engineInfo: input.engineInfo ?? `lake/${LAKE_VERSION}`,
    txnId: input.txnId,
  }
}

function describeOperation(op: CommitOperation): [string, Record<string, unknown>] {
  switch (op.kind) {
    case 'write':
      return ['WRITE', { mode: op.mode, partitionBy: op.partitionBy, ...(op.predicate === undefined ? {} : { predicate: op.predicate }) }]
    case 'createTable':
      return [
        op.replace === true ? 'CREATE OR REPLACE TABLE' : 'CREATE TABLE',
        { partitionBy: op.partitionBy, clusterBy: [], description: op.description ?? null, isManaged: false, properties: op.properties },
      ]
    case 'delete':
      return ['DELETE', { predicate: op.predicate === undefined ? [] : [op.predicate] }]
    case 'update':
      return ['UPDATE', { predicate: op.predicate === undefined ? [] : [op.predicate] }]
    case 'optimize':
      return ['OPTIMIZE', { predicate: op.predicate ?? [], zOrderBy: op.zOrderBy ?? [], auto: false }]
    case 'reorg':
      return ['REORG', { predicate: op.predicate ?? [], applyPurge: op.applyPurge }]
    case 'restore':
      return ['RESTORE', { version: op.version ?? null, timestamp: op.timestamp ?? null }]
    case 'vacuumStart':
      return [
        'VACUUM START',
        { retentionCheckEnabled: op.retentionCheckEnabled, defaultRetentionMillis: op.defaultRetentionMillis, specifiedRetentionMillis: op.specifiedRetentionMillis },
      ]
    case 'vacuumEnd':
      return ['VACUUM END', { status: op.status }]
    case 'custom':
      return [op.operation, { ...op.parameters }]
    default: {
      const unreachable: never = op
      return unreachable
    }
  }
}

function encodeParameters(parameters: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(parameters)) {
    if (value === undefined) continue
    if (typeof value === 'string' || typeof value === 'number' || value === null) out[key] = value
    else if (typeof value === 'boolean') out[key] = String(value)
    else out[key] = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  }
  return out
}
