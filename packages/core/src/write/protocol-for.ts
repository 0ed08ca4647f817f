// The minimal protocol of a new table (PROTOCOL.md#Table Features): (1,2) unless the schema or
// properties need more; then legacy versions or (1|3,7) with explicit features. Pure.

import type { StructType, DataType } from '@lake/parquet'
import type { Protocol } from '../actions/types.js'
import { ProtocolError } from '../errors.js'
import { collectConstraints } from '../schema/constraints.js'
import { KNOWN_WRITER_FEATURES } from '../protocol/features.js'

/** Features lake can create tables with; reader+writer ones need reader version 3 when listed. */
const READER_WRITER_FEATURES = new Set(['timestampNtz', 'deletionVectors', 'vacuumProtocolCheck'])
const WRITER_ONLY_FEATURES = new Set(['appendOnly', 'invariants', 'checkConstraints', 'changeDataFeed', 'inCommitTimestamp', 'domainMetadata'])
/** Legacy writer version implying a writer-only feature; features missing here need writer 7. */
const LEGACY_WRITER_VERSION: Readonly<Record<string, number>> = {
  appendOnly: 2,
  invariants: 2,
  checkConstraints: 3,
  changeDataFeed: 4,
}
/** Boolean table properties that turn a feature on. */
const ENABLING_PROPERTIES: Readonly<Record<string, string>> = {
  'delta.appendonly': 'appendOnly',
  'delta.enablechangedatafeed': 'changeDataFeed',
  'delta.enabledeletionvectors': 'deletionVectors',
  'delta.enableincommittimestamps': 'inCommitTimestamp',
  'delta.enablerowtracking': 'rowTracking',
  'delta.enabletypewidening': 'typeWidening',
  'delta.enableicebergcompatv1': 'icebergCompatV1',
  'delta.enableicebergcompatv2': 'icebergCompatV2',
}

/**
 * The lowest protocol a new table with `schema` and `configuration` needs:
 * `{1,2}` by default (appendOnly, invariants); legacy `{1,3}` for CHECK constraints and `{1,4}`
 * for change data feed; `{1,7}` with explicit `writerFeatures` for `inCommitTimestamp` or
 * `domainMetadata`; `{3,7}` with explicit features when a reader feature is used (`timestampNtz`
 * anywhere in the schema, `delta.enableDeletionVectors=true`, `delta.feature.vacuumProtocolCheck`).
 * `delta.feature.<name>=supported|enabled` properties add features explicitly. Only the features
 * in use are listed.
 * @throws ProtocolError `UnsupportedFeature` for features lake cannot write (column mapping, row
 *   tracking, type widening, iceberg compat, unknown `delta.feature.*`).
 */
export function minimalProtocol(schema: StructType, configuration: Readonly<Record<string, string>>): Protocol {
  const features = requiredFeatures(schema, configuration)
  for (const f of features) {
    if (!READER_WRITER_FEATURES.has(f) && !WRITER_ONLY_FEATURES.has(f)) {
      throw new ProtocolError('UnsupportedFeature', `cannot create a table with feature '${f}': lake does not implement writing it`, {
        context: { feature: f },
      })
    }
  }
  const list = [...features]
  const readerFeatures = list.filter((f) => READER_WRITER_FEATURES.has(f))
  if (readerFeatures.length > 0) return { minReaderVersion: 3, minWriterVersion: 7, readerFeatures, writerFeatures: list }
  if (list.some((f) => LEGACY_WRITER_VERSION[f] === undefined)) return { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: list }
  const writer = Math.max(2, ...list.map((f) => LEGACY_WRITER_VERSION[f] ?? 2))
  return { minReaderVersion: 1, minWriterVersion: writer }
}

function requiredFeatures(schema: StructType, configuration: Readonly<Record<string, string>>): Set<string> {
  const features = new Set<string>()
  if (containsNtz(schema)) features.add('timestampNtz')
  for (const c of collectConstraints(schema, configuration)) features.add(c.kind === 'invariant' ? 'invariants' : 'checkConstraints')
  for (const [key, value] of Object.entries(configuration)) {
    const lower = key.toLowerCase()
    const enabled = ENABLING_PROPERTIES[lower]
    if (enabled !== undefined && value.toLowerCase() === 'true') features.add(enabled)
    if (lower.startsWith('delta.feature.')) features.add(canonicalFeature(key.slice('delta.feature.'.length)))
    if (lower === 'delta.columnmapping.mode' && value.toLowerCase() !== 'none') features.add('columnMapping')
    if (lower === 'delta.checkpointpolicy' && value.toLowerCase() === 'v2') features.add('v2Checkpoint')
  }
  return features
}

/** The protocol's spelling of a feature named in a `delta.feature.*` property (Spark lowercases them). */
function canonicalFeature(name: string): string {
  const lower = name.toLowerCase()
  return [...KNOWN_WRITER_FEATURES].find((f) => f.toLowerCase() === lower) ?? name
}

/** True when `timestamp_ntz` occurs anywhere in the type. */
export function containsNtz(type: DataType): boolean {
  switch (type.kind) {
    case 'primitive':
      return type.name === 'timestamp_ntz'
    case 'decimal':
      return false
    case 'struct':
      return type.fields.some((f) => containsNtz(f.type))
    case 'array':
      return containsNtz(type.elementType)
    case 'map':
      return containsNtz(type.keyType) || containsNtz(type.valueType)
    default: {
      const unreachable: never = type
      return unreachable
    }
  }
}
