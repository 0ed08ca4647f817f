// The protocol a table needs, derived from the registry (PROTOCOL.md#Table Features): the
// features a schema and properties use, the minimal protocol of a new table, the upgrade of an
// existing table's protocol, and the requirements between features. Pure.

import type { StructType } from '@lake/parquet'
import type { Protocol } from '../actions/types.js'
import { ProtocolError } from '../errors.js'
import { featureInfo, impliedReaderFeatures, impliedWriterFeatures, KNOWN_WRITER_FEATURES, supportedFeatures } from './derive.js'
import { FEATURES } from './registry.js'
import type { FeatureInfo } from './types.js'

type Configuration = Readonly<Record<string, string>>

const FEATURE_PREFIX = 'delta.feature.'

/**
 * The features a table with `schema` and `configuration` uses, in the order a protocol lists them:
 * first those found by a schema/properties test (registry order), then those turned on by a
 * property (property order), `delta.feature.<name>` included (any value; names matched
 * case-insensitively against the registry, unknown names kept as written).
 */
export function featuresInUse(schema: StructType, configuration: Configuration): Set<string> {
  const features = new Set<string>()
  for (const f of FEATURES) if (f.enabledBy?.when?.(schema, configuration) === true) features.add(f.name)
  for (const [key, value] of Object.entries(configuration)) {
    const lower = key.toLowerCase()
    for (const f of FEATURES) if (enablesByProperty(f, lower, value)) features.add(f.name)
    if (lower.startsWith(FEATURE_PREFIX)) features.add(canonicalFeature(key.slice(FEATURE_PREFIX.length)))
  }
  return features
}

function enablesByProperty(info: FeatureInfo, lowerKey: string, value: string): boolean {
  const by = info.enabledBy
  if (by?.property?.toLowerCase() !== lowerKey) return false
  return by.enables === undefined ? value.toLowerCase() === 'true' : by.enables(value)
}

/** The protocol's spelling of a feature named in a `delta.feature.*` property (Spark lowercases them). */
function canonicalFeature(name: string): string {
  const lower = name.toLowerCase()
  return [...KNOWN_WRITER_FEATURES].find((f) => f.toLowerCase() === lower) ?? name
}

/**
 * The lowest protocol a new table with `schema` and `configuration` needs: `{1,2}` by default;
 * when every feature in use has legacy versions, the highest legacy writer version (`{1,3}` for
 * CHECK constraints, `{1,4}` for change data feed); `{1,7}` with explicit `writerFeatures` when a
 * writer feature has none (inCommitTimestamp, domainMetadata); `{3,7}` with explicit features when
 * a reader+writer feature is used (timestampNtz anywhere in the schema, deletion vectors, column mapping,
 * `delta.feature.vacuumProtocolCheck`). Only the features in use are listed.
 * @throws ProtocolError `UnsupportedFeature` for a feature lake cannot create (registry `create`
 *   false: row tracking, type widening, iceberg compat, unknown `delta.feature.*`);
 *   `InvalidProtocol` when a feature's `requires` is not met.
 */
export function minimalProtocol(schema: StructType, configuration: Configuration): Protocol {
  const list = [...featuresInUse(schema, configuration)]
  for (const f of list) {
    if (featureInfo(f)?.create !== true) {
      throw new ProtocolError('UnsupportedFeature', `cannot create a table with feature '${f}': lake does not implement writing it`, {
        context: { feature: f },
      })
    }
  }
  checkRequirements(list, new Set(list), 'create a table')
  const readerFeatures = list.filter((f) => featureInfo(f)?.kind === 'readerWriter')
  if (readerFeatures.length > 0) return { minReaderVersion: 3, minWriterVersion: 7, readerFeatures, writerFeatures: list }
  const legacy = list.map((f) => featureInfo(f)?.legacy?.writer)
  if (legacy.some((v) => v === undefined)) return { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: list }
  return { minReaderVersion: 1, minWriterVersion: Math.max(2, ...legacy.map((v) => v ?? 2)) }
}

/**
 * The protocol `current` must move to for `schema` and `configuration` (e.g. a `timestamp_ntz`
 * column added by schema evolution), or undefined when it already suffices. Versions only rise;
 * features implied by legacy versions are listed explicitly when the writer version becomes 7
 * (writerFeatures) or the reader version becomes 3 (readerFeatures: (2,5) ⇒ columnMapping in both).
 * @throws ProtocolError as `minimalProtocol` for features lake cannot add.
 */
export function upgradeProtocol(current: Protocol, schema: StructType, configuration: Configuration): Protocol | undefined {
  const needed = minimalProtocol(schema, configuration)
  const missingReader = (needed.readerFeatures ?? []).filter((f) => !(current.readerFeatures ?? []).includes(f))
  const missingWriter = (needed.writerFeatures ?? []).filter((f) => !(current.writerFeatures ?? []).includes(f))
  if (missingReader.length === 0 && missingWriter.length === 0 && needed.minReaderVersion <= current.minReaderVersion && needed.minWriterVersion <= current.minWriterVersion) {
    return undefined
  }
  const readerVersion = Math.max(needed.minReaderVersion, current.minReaderVersion)
  const writerVersion = Math.max(needed.minWriterVersion, current.minWriterVersion)
  const upgraded: Protocol = {
    minReaderVersion: readerVersion,
    minWriterVersion: writerVersion,
    ...(readerVersion >= 3 ? { readerFeatures: [...new Set([...impliedReaderFeatures(current), ...missingReader])] } : {}),
    ...(writerVersion >= 7 ? { writerFeatures: [...new Set([...impliedWriterFeatures(current), ...missingWriter])] } : {}),
  }
  checkRequirements(missingWriter, supportedFeatures(upgraded), 'upgrade the protocol')
  return upgraded
}

/**
 * Checks the registry's `requires` of each of `features` against the protocol's `supported`
 * features (`enabled` counts as supported here: every feature lake adds is one in use).
 * `lookup` is the registry (a test passes its own records).
 * @throws ProtocolError `InvalidProtocol` naming the feature, the one it requires and what was found.
 */
export function checkRequirements(features: readonly string[], supported: ReadonlySet<string>, operation: string, lookup: (name: string) => FeatureInfo | undefined = featureInfo): void {
  for (const feature of features) {
    for (const req of lookup(feature)?.requires ?? []) {
      const has = supported.has(req.feature)
      if (req.as === 'notSupported' ? !has : has) continue
      const expected = req.as === 'notSupported' ? 'not to be supported, found it supported' : `to be ${req.as}, found it missing`
      throw new ProtocolError('InvalidProtocol', `cannot ${operation} with feature '${feature}': it requires feature '${req.feature}' ${expected}`, {
        context: { feature, required: req.feature },
      })
    }
  }
}
