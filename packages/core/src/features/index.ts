// Table features: one registry record per feature, and every rule derived from it (readability,
// writability, the protocol a table needs, legacy versions). See packages/core/README.md#features.

export { FEATURES } from './registry.js'
export type { FeatureInfo, FeatureRequirement, WriteRule, WriteIntent, WriteTarget, CanWriteOptions, WriteCheck } from './types.js'
export {
  featureInfo, SUPPORTED_READER_FEATURES, KNOWN_WRITER_FEATURES, LEGACY_READER_FEATURES, LEGACY_WRITER_FEATURES,
  hasReaderFeature, hasWriterFeature, supportedFeatures, impliedWriterFeatures, impliedReaderFeatures, checkReadable,
} from './derive.js'
export { canWrite, assertCanWrite, canWriteCheckpoint, unknownWriterFeatures, assertWritable } from './writable.js'
export { featuresInUse, minimalProtocol, upgradeProtocol, checkRequirements } from './minimal-protocol.js'
export { containsNtz } from './table-checks.js'
