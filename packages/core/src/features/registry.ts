// The table features lake knows, one record each (PROTOCOL.md#Table Features). Readability,
// writability, minimal protocols and legacy versions are derived from these records only (derive.ts,
// writable.ts, minimal-protocol.ts): adding a feature is adding a record. Pure data.

import type { StructType } from '@lake/parquet'
import { columnUsing, constraintProblem, containsNtz, generationProblem, hasConstraint, isTrue } from './table-checks.js'
import type { FeatureInfo } from './types.js'

const GENERATED_KEY = 'delta.generationExpression'
const IDENTITY_PREFIX = 'delta.identity.'

/** Every feature lake knows, reader+writer features first (messages list reader features in this order). */
export const FEATURES: readonly FeatureInfo[] = [
  {
    // Modes name and id: files, stats and partition values use physical names (schema/physical-rows.ts);
    // new fields get ids and physical names (schema/assign-column-mapping.ts). Renames and drops are not implemented.
    name: 'columnMapping', kind: 'readerWriter', legacy: { reader: 2, writer: 5 }, read: true, write: true, create: true,
    enabledBy: { property: 'delta.columnMapping.mode', enables: (v) => v.toLowerCase() !== 'none' },
  },
  { name: 'deletionVectors', kind: 'readerWriter', read: true, write: true, create: true, enabledBy: { property: 'delta.enableDeletionVectors' } },
  { name: 'timestampNtz', kind: 'readerWriter', read: true, write: true, create: true, enabledBy: { when: (schema) => containsNtz(schema) } },
  {
    name: 'v2Checkpoint', kind: 'readerWriter', read: true, write: true, checkpoints: false, create: false,
    enabledBy: { property: 'delta.checkpointPolicy', enables: (v) => v.toLowerCase() === 'v2' },
  },
  { name: 'vacuumProtocolCheck', kind: 'readerWriter', read: true, write: true, create: true },
  { name: 'typeWidening', kind: 'readerWriter', read: true, write: true, create: false, enabledBy: { property: 'delta.enableTypeWidening' } },
  { name: 'typeWidening-preview', kind: 'readerWriter', read: true, write: true, create: false },
  {
    name: 'appendOnly', kind: 'writer', legacy: { reader: 1, writer: 2 }, read: true, write: true, create: true,
    enabledBy: { property: 'delta.appendOnly' },
    guard: {
      scope: 'table',
      check: (t, intent) =>
        (intent.removesData && isTrue(t.configuration, 'delta.appendOnly') ? 'table is append-only (delta.appendOnly=true): it cannot remove data' : undefined),
    },
  },
  {
    name: 'invariants', kind: 'writer', legacy: { reader: 1, writer: 2 }, read: true, create: true,
    write: (t, _intent, options) => constraintProblem('invariant', t, options),
    enabledBy: { when: (schema, config) => hasConstraint('invariant', schema, config) },
  },
  {
    name: 'checkConstraints', kind: 'writer', legacy: { reader: 1, writer: 3 }, read: true, create: true,
    write: (t, _intent, options) => constraintProblem('check', t, options),
    enabledBy: { when: (schema, config) => hasConstraint('check', schema, config) },
  },
  {
    name: 'changeDataFeed', kind: 'writer', legacy: { reader: 1, writer: 4 }, read: true, create: true,
    write: (t, intent) => (intent.rewritesRows === true && intent.writesChangeData !== true && isTrue(t.configuration, 'delta.enableChangeDataFeed')
      ? 'change data feed is enabled and this write rewrites rows without recording them in change data files (only DELETE, UPDATE and MERGE do)'
      : undefined),
    enabledBy: { property: 'delta.enableChangeDataFeed' },
  },
  { name: 'inCommitTimestamp', kind: 'writer', read: true, write: true, create: true, enabledBy: { property: 'delta.enableInCommitTimestamps' } },
  { name: 'domainMetadata', kind: 'writer', read: true, write: true, create: true },
  {
    name: 'generatedColumns', kind: 'writer', legacy: { reader: 1, writer: 4 }, read: true, create: false,
    write: (t, _intent, options) => generationProblem(t, options),
    guard: {
      scope: 'column',
      check: (t, intent) => (intent.rewritesRows === true && intent.computesGeneratedColumns !== true
        ? usedBy(t.schema, GENERATED_KEY, (c) => `column '${c}' is a generated column (${GENERATED_KEY}): lake computes generated columns for appends and overwrites, not yet when it rewrites rows`)
        : undefined),
    },
  },
  {
    name: 'identityColumns', kind: 'writer', legacy: { reader: 1, writer: 6 }, read: true, create: false,
    write: (t, _intent, _options, legacyImplied) =>
      (legacyImplied && columnUsing(t.schema, IDENTITY_PREFIX) === undefined ? undefined : 'identity columns are not supported for writing'),
    guard: { scope: 'column', check: (t) => usedBy(t.schema, IDENTITY_PREFIX, (c) => `column '${c}' is an identity column (${IDENTITY_PREFIX}*), which lake cannot fill yet`) },
  },
  { name: 'allowColumnDefaults', kind: 'writer', read: true, write: false, create: false },
  {
    name: 'rowTracking', kind: 'writer', read: true, write: false, create: false,
    enabledBy: { property: 'delta.enableRowTracking' }, requires: [{ feature: 'domainMetadata', as: 'supported' }],
  },
  {
    name: 'icebergCompatV1', kind: 'writer', read: true, write: false, create: false, enabledBy: { property: 'delta.enableIcebergCompatV1' },
    requires: [{ feature: 'columnMapping', as: 'enabled' }, { feature: 'deletionVectors', as: 'notSupported' }],
  },
  {
    name: 'icebergCompatV2', kind: 'writer', read: true, write: false, create: false, enabledBy: { property: 'delta.enableIcebergCompatV2' },
    requires: [{ feature: 'columnMapping', as: 'enabled' }],
  },
  { name: 'clustering', kind: 'writer', read: true, write: false, create: false, requires: [{ feature: 'domainMetadata', as: 'supported' }] },
]

/** `message(column)` for the first top-level column with metadata under `keyPrefix`, else undefined. */
function usedBy(schema: StructType, keyPrefix: string, message: (column: string) => string): string | undefined {
  const column = columnUsing(schema, keyPrefix)
  return column === undefined ? undefined : message(column)
}
