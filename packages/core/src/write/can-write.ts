// Whether lake may write a commit to a table with this protocol and metadata: writer features it
// implements, appendOnly, and row constraints it can evaluate. Fail closed. Pure.

import type { StructType } from '@lake/parquet'
import type { Protocol } from '../actions/types.js'
import { ProtocolError } from '../errors.js'
import { checkReadable } from '../protocol/check-protocol.js'
import { supportedFeatures } from '../protocol/features.js'
import { collectConstraints } from '../schema/constraints.js'

/** What the commit will do, as far as feature checks care. */
export interface WriteIntent {
  /** The commit removes files with `dataChange=true` (overwrite, replaceWhere, delete). */
  readonly removesData: boolean
  /** The commit rewrites rows of existing files (replaceWhere on data columns, update): needs CDC files under CDF. */
  readonly rewritesRows?: boolean
  /** The commit writes deletion vectors. lake never does yet. */
  readonly writesDeletionVectors?: boolean
}

/** The table state the check needs. */
export interface WriteTarget {
  readonly protocol: Protocol
  readonly schema: StructType
  readonly configuration: Readonly<Record<string, string>>
}

/** Options of `canWrite`. */
export interface CanWriteOptions {
  /** True when lake can evaluate this SQL expression row-wise (from `src/expr/`); absent ⇒ none can be. */
  readonly canEvaluate?: (expression: string) => boolean
}

/** `ok`, or the feature that stops the write and why. */
export type WriteCheck = { readonly status: 'ok' } | { readonly status: 'unsupported'; readonly feature: string; readonly message: string }

/** Field metadata of a generated column (PROTOCOL.md#Generated Columns) and of identity columns. */
const GENERATED_KEY = 'delta.generationExpression'
const IDENTITY_PREFIX = 'delta.identity.'

/** Writer features lake implements for any write (others are checked below or refused). */
const ALWAYS_WRITABLE = new Set([
  'appendOnly', 'inCommitTimestamp', 'domainMetadata', 'timestampNtz', 'vacuumProtocolCheck',
  'typeWidening', 'typeWidening-preview', 'v2Checkpoint',
])

/**
 * Decides whether lake may commit `intent` to `target`:
 * - the table must be readable (`checkReadable`);
 * - every supported writer feature must be one lake implements. Implemented: appendOnly,
 *   inCommitTimestamp, domainMetadata (preserved), timestampNtz, vacuumProtocolCheck, typeWidening
 *   (types are never changed), v2Checkpoint (commits only: see `canWriteCheckpoint`),
 *   deletionVectors (appends and whole-file removes; not writing DVs), changeDataFeed (not when
 *   rows are rewritten), columnMapping only while its mode is `none`, invariants and
 *   checkConstraints only when every expression can be evaluated. For legacy writer versions,
 *   implied generatedColumns/identityColumns only block when a column uses them. Everything else
 *   (generatedColumns, identityColumns, allowColumnDefaults, rowTracking, clustering,
 *   icebergCompat*, catalogManaged, unknown names) is refused;
 * - a column with a generation expression or identity metadata is refused whatever the protocol
 *   says (lake would write nulls or unchecked values into it);
 * - `delta.appendOnly=true` refuses any intent that removes data.
 */
export function canWrite(target: WriteTarget, intent: WriteIntent, options: CanWriteOptions = {}): WriteCheck {
  checkReadable(target.protocol)
  const isLegacy = target.protocol.minWriterVersion < 7
  for (const feature of supportedFeatures(target.protocol)) {
    const problem = featureProblem(feature, target, intent, options, isLegacy)
    if (problem !== undefined) return { status: 'unsupported', feature, message: problem }
  }
  // Whatever the protocol says: a column lake would fill with nulls (or user values) is refused.
  const generated = columnUsing(target.schema, GENERATED_KEY)
  if (generated !== undefined) return { status: 'unsupported', feature: 'generatedColumns', message: `column '${generated}' is a generated column (${GENERATED_KEY}), which lake cannot compute yet` }
  const identity = columnUsing(target.schema, IDENTITY_PREFIX)
  if (identity !== undefined) return { status: 'unsupported', feature: 'identityColumns', message: `column '${identity}' is an identity column (${IDENTITY_PREFIX}*), which lake cannot fill yet` }
  if (intent.removesData && isTrue(target.configuration, 'delta.appendOnly')) {
    return { status: 'unsupported', feature: 'appendOnly', message: 'table is append-only (delta.appendOnly=true): it cannot remove data' }
  }
  return { status: 'ok' }
}

/**
 * `canWrite`, throwing when the write is refused.
 * @throws ProtocolError `UnsupportedFeature` with `context.feature` and a message saying why.
 */
export function assertCanWrite(target: WriteTarget, intent: WriteIntent, options: CanWriteOptions = {}): void {
  const check = canWrite(target, intent, options)
  if (check.status === 'unsupported') {
    throw new ProtocolError('UnsupportedFeature', `cannot write to this table: ${check.message}`, { context: { feature: check.feature } })
  }
}

/** True when lake may write a classic (V1) checkpoint for this protocol: not under v2Checkpoint. */
export function canWriteCheckpoint(protocol: Protocol): boolean {
  return !supportedFeatures(protocol).has('v2Checkpoint')
}

function featureProblem(feature: string, target: WriteTarget, intent: WriteIntent, options: CanWriteOptions, isLegacy: boolean): string | undefined {
  if (ALWAYS_WRITABLE.has(feature)) return undefined
  switch (feature) {
    case 'deletionVectors':
      return intent.writesDeletionVectors === true ? 'lake cannot write deletion vectors yet' : undefined
    case 'changeDataFeed':
      return intent.rewritesRows === true && isTrue(target.configuration, 'delta.enableChangeDataFeed')
        ? 'change data feed is enabled and this write rewrites rows, which needs CDC files lake cannot write yet'
        : undefined
    case 'columnMapping': {
      const mode = target.configuration['delta.columnMapping.mode'] ?? 'none'
      return mode.toLowerCase() === 'none' ? undefined : `column mapping mode '${mode}' is not supported for writing yet`
    }
    case 'invariants':
    case 'checkConstraints':
      return constraintProblem(feature, target, options)
    case 'generatedColumns':
      return isLegacy && !usesMetadata(target.schema, 'delta.generationExpression') ? undefined : 'generated columns are not supported for writing'
    case 'identityColumns':
      return isLegacy && !usesMetadata(target.schema, 'delta.identity.') ? undefined : 'identity columns are not supported for writing'
    default:
      return `writer feature '${feature}' is not implemented by lake`
  }
}

function constraintProblem(feature: string, target: WriteTarget, options: CanWriteOptions): string | undefined {
  const kind = feature === 'invariants' ? 'invariant' : 'check'
  for (const c of collectConstraints(target.schema, target.configuration)) {
    if (c.kind !== kind) continue
    if (options.canEvaluate?.(c.expression) !== true) {
      const what = kind === 'invariant' ? `invariant on column '${c.name}'` : `CHECK constraint '${c.name}'`
      return `${what} (${c.expression}) cannot be evaluated by lake`
    }
  }
  return undefined
}

function usesMetadata(schema: StructType, keyPrefix: string): boolean {
  return columnUsing(schema, keyPrefix) !== undefined
}

/** The first top-level column with a metadata key starting with `keyPrefix`. */
function columnUsing(schema: StructType, keyPrefix: string): string | undefined {
  return schema.fields.find((f) => Object.keys(f.metadata).some((k) => k.startsWith(keyPrefix)))?.name
}

function isTrue(configuration: Readonly<Record<string, string>>, key: string): boolean {
  const lower = key.toLowerCase()
  return Object.entries(configuration).some(([k, v]) => k.toLowerCase() === lower && v.toLowerCase() === 'true')
}
