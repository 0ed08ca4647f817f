// What the registry implies about reading: the known names, the reader features lake implements,
// the legacy-version tables, which features a protocol supports, and readability. Pure.

import type { Protocol } from '../actions/types.js'
import { ProtocolError } from '../errors.js'
import { validateProtocol } from '../protocol/check-protocol.js'
import { validateFeatureLists } from './feature-lists.js'
import { FEATURES } from './registry.js'
import type { FeatureInfo } from './types.js'

const BY_NAME: ReadonlyMap<string, FeatureInfo> = new Map(FEATURES.map((f) => [f.name, f]))

/** The registry record of `name` (exact spelling), or undefined for a feature lake does not know. */
export function featureInfo(name: string): FeatureInfo | undefined {
  return BY_NAME.get(name)
}

/**
 * Reader features lake implements: a table listing only these in `readerFeatures` can be read.
 * Writer-only features never block reads.
 */
export const SUPPORTED_READER_FEATURES: ReadonlySet<string> = new Set(FEATURES.filter((f) => f.kind === 'readerWriter' && f.read).map((f) => f.name))

/** Writer features lake understands as far as reading goes (their metadata is parsed or harmless): every registry name. */
export const KNOWN_WRITER_FEATURES: ReadonlySet<string> = new Set(FEATURES.map((f) => f.name))

/** Features implied by a legacy writer version (PROTOCOL.md#Writer Version Requirements), lowest version first. */
export const LEGACY_WRITER_FEATURES: readonly (readonly [number, string])[] = legacyTable((l) => l.writer, 2)

/** Features implied by a legacy reader version (2 ⇒ columnMapping). */
export const LEGACY_READER_FEATURES: readonly (readonly [number, string])[] = legacyTable((l) => l.reader, 2)

function legacyTable(version: (legacy: NonNullable<FeatureInfo['legacy']>) => number, lowest: number): (readonly [number, string])[] {
  const rows = FEATURES.flatMap((f) => (f.legacy === undefined ? [] : [[version(f.legacy), f.name] as const]))
  return rows.filter(([v]) => v >= lowest).sort((a, b) => a[0] - b[0])
}

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

/**
 * Features a legacy protocol implies, listed explicitly when moving to writer v7: a feature is
 * implied when both its legacy reader and writer versions are met (PROTOCOL.md#Table Features;
 * Spark's implicitlySupportedFeatures: (1,6) does not imply columnMapping, (2,5) does).
 */
export function impliedWriterFeatures(protocol: Protocol): readonly string[] {
  if (protocol.writerFeatures !== undefined) return protocol.writerFeatures
  return legacyImplied(protocol).map((f) => f.name)
}

/**
 * Reader features a protocol implies, listed explicitly when moving to reader v3: its
 * `readerFeatures`, or the reader+writer features its legacy versions imply ((2,5) ⇒ columnMapping).
 */
export function impliedReaderFeatures(protocol: Protocol): readonly string[] {
  if (protocol.readerFeatures !== undefined) return protocol.readerFeatures
  if (protocol.writerFeatures !== undefined) {
    return protocol.writerFeatures.filter((f) => featureInfo(f)?.kind === 'readerWriter' && hasReaderFeature(protocol, f))
  }
  return legacyImplied(protocol).filter((f) => f.kind === 'readerWriter').map((f) => f.name)
}

function legacyImplied(protocol: Protocol): FeatureInfo[] {
  const rows = FEATURES.filter((f) => f.legacy !== undefined && protocol.minReaderVersion >= f.legacy.reader && protocol.minWriterVersion >= f.legacy.writer)
  return rows.sort((a, b) => (a.legacy?.writer ?? 0) - (b.legacy?.writer ?? 0))
}

/**
 * Checks that lake can read a table with this protocol: it is legal (versions and feature lists,
 * `validateProtocol` and `validateFeatureLists`) and every reader feature is implemented
 * (writer-only features never block reads).
 * @throws ProtocolError `InvalidProtocol` for an illegal protocol (`context.field`, `context.feature`), `UnsupportedFeature` naming the
 * first reader feature lake does not implement.
 */
export function checkReadable(protocol: Protocol, version?: number): void {
  validateProtocol(protocol, version)
  validateFeatureLists(protocol, version)
  if (protocol.minReaderVersion < 3) return
  for (const feature of protocol.readerFeatures ?? []) {
    if (!SUPPORTED_READER_FEATURES.has(feature)) {
      throw new ProtocolError(
        'UnsupportedFeature',
        `table requires reader feature '${feature}', which lake does not implement (supported: ${[...SUPPORTED_READER_FEATURES].join(', ')})`,
        { context: { version, feature } },
      )
    }
  }
}
