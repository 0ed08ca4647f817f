// Table feature names (PROTOCOL.md#Valid Feature Names in Table Features) and which of them lake
// implements for reading. Pure data plus lookups.

import type { Protocol } from '../actions/types.js'

/**
 * Reader features lake implements: a table listing only these in `readerFeatures` can be read.
 * Writer-only features never block reads.
 */
export const SUPPORTED_READER_FEATURES: ReadonlySet<string> = new Set([
  'columnMapping',
  'deletionVectors',
  'timestampNtz',
  'v2Checkpoint',
  'vacuumProtocolCheck',
  'typeWidening',
  'typeWidening-preview',
])

/** Writer features lake understands as far as reading goes (their metadata is parsed or harmless). */
export const KNOWN_WRITER_FEATURES: ReadonlySet<string> = new Set([
  ...SUPPORTED_READER_FEATURES,
  'appendOnly',
  'invariants',
  'checkConstraints',
  'changeDataFeed',
  'inCommitTimestamp',
  'domainMetadata',
  'generatedColumns',
  'identityColumns',
  'allowColumnDefaults',
  'rowTracking',
  'icebergCompatV1',
  'icebergCompatV2',
  'clustering',
])

/** Features implied by a legacy writer version (PROTOCOL.md#Writer Version Requirements). */
const LEGACY_WRITER_FEATURES: readonly (readonly [number, string])[] = [
  [2, 'appendOnly'],
  [2, 'invariants'],
  [3, 'checkConstraints'],
  [4, 'changeDataFeed'],
  [4, 'generatedColumns'],
  [5, 'columnMapping'],
  [6, 'identityColumns'],
]

/** Features implied by a legacy reader version. */
const LEGACY_READER_FEATURES: readonly (readonly [number, string])[] = [[2, 'columnMapping']]

/**
 * True when the protocol supports `feature` as a reader feature: listed in `readerFeatures` at
 * reader version 3, or implied by a legacy reader version (2 ⇒ columnMapping).
 */
export function hasReaderFeature(protocol: Protocol, feature: string): boolean {
  if (protocol.minReaderVersion >= 3) return protocol.readerFeatures?.includes(feature) ?? false
  return LEGACY_READER_FEATURES.some(([v, f]) => f === feature && protocol.minReaderVersion >= v)
}

/**
 * True when the protocol supports `feature` for writers: listed in `writerFeatures` at writer
 * version 7, or implied by a legacy writer version (e.g. 4 ⇒ changeDataFeed). Supported is not
 * active: most features also need their table property (PROTOCOL.md#Table Features).
 */
export function hasWriterFeature(protocol: Protocol, feature: string): boolean {
  if (protocol.minWriterVersion >= 7) return protocol.writerFeatures?.includes(feature) ?? false
  return LEGACY_WRITER_FEATURES.some(([v, f]) => f === feature && protocol.minWriterVersion >= v)
}

/** Every feature the protocol supports, legacy versions expanded to their implied features. */
export function supportedFeatures(protocol: Protocol): ReadonlySet<string> {
  const out = new Set<string>()
  for (const [, f] of [...LEGACY_READER_FEATURES, ...LEGACY_WRITER_FEATURES]) {
    if (hasReaderFeature(protocol, f) || hasWriterFeature(protocol, f)) out.add(f)
  }
  for (const f of protocol.minReaderVersion >= 3 ? (protocol.readerFeatures ?? []) : []) out.add(f)
  for (const f of protocol.minWriterVersion >= 7 ? (protocol.writerFeatures ?? []) : []) out.add(f)
  return out
}
