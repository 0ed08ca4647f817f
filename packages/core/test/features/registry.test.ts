// The feature registry is consistent with itself and with every rule derived from it, so adding a
// feature is adding one record: each check here runs over every record, the new one included.

import { describe, expect, it } from 'vitest'
import type { Protocol } from '../../src/actions/types.js'
import {
  FEATURES, LEGACY_READER_FEATURES, LEGACY_WRITER_FEATURES, SUPPORTED_READER_FEATURES, canWrite, canWriteCheckpoint,
  checkRequirements, featureInfo, featuresInUse, hasReaderFeature, hasWriterFeature, minimalProtocol, supportedFeatures,
} from '../../src/features/index.js'
import type { FeatureInfo } from '../../src/features/index.js'
import { INTENTS, SCHEMAS, listing } from './observe.js'

const names = FEATURES.map((f) => f.name)
const plain = SCHEMAS['plain']!

describe.each(FEATURES.map((f) => [f.name, f] as const))('registry record %s', (name, info) => {
  it('is found by its name, once', () => {
    expect(names.filter((n) => n === name)).toHaveLength(1)
    expect(featureInfo(name)).toBe(info)
  })

  it('is readable as its kind says (writer-only features never block reads)', () => {
    if (info.kind === 'writer') expect(info.read).toBe(true)
    expect(SUPPORTED_READER_FEATURES.has(name)).toBe(info.kind === 'readerWriter' && info.read)
  })

  it('is in the legacy tables exactly from its legacy versions', () => {
    const writerRows = LEGACY_WRITER_FEATURES.filter(([, f]) => f === name)
    const readerRows = LEGACY_READER_FEATURES.filter(([, f]) => f === name)
    if (info.legacy === undefined) {
      expect([...writerRows, ...readerRows]).toEqual([])
      return
    }
    const { reader, writer } = info.legacy
    expect(writer).toBeGreaterThanOrEqual(2)
    expect(writer).toBeLessThan(7)
    expect(writerRows).toEqual([[writer, name]])
    expect(hasWriterFeature({ minReaderVersion: 1, minWriterVersion: writer }, name)).toBe(true)
    expect(hasWriterFeature({ minReaderVersion: 1, minWriterVersion: writer - 1 }, name)).toBe(false)
    expect(reader >= 2).toBe(info.kind === 'readerWriter')
    expect(readerRows).toEqual(reader >= 2 ? [[reader, name]] : [])
    if (reader >= 2) expect(hasReaderFeature({ minReaderVersion: reader, minWriterVersion: writer }, name)).toBe(true)
  })

  it('requires only features of the registry, and not itself', () => {
    for (const req of info.requires ?? []) {
      expect(names).toContain(req.feature)
      expect(req.feature).not.toBe(name)
    }
  })

  it('is writable for every intent exactly when its write is true (with no property turning it on)', () => {
    const results = Object.values(INTENTS).map((intent) => canWrite({ protocol: listing(name), schema: plain, configuration: {} }, intent).status)
    if (info.write === true) expect(results).toEqual(['ok', 'ok', 'ok', 'ok'])
    if (info.write === false) expect(results).toEqual(['unsupported', 'unsupported', 'unsupported', 'unsupported'])
  })

  it('forbids classic checkpoints exactly when its checkpoints is false', () => {
    expect(canWriteCheckpoint(listing(name))).toBe(info.checkpoints !== false)
  })

  it('is created by delta.feature.<name> exactly when its create is true', () => {
    const create = (): Protocol => minimalProtocol(plain, { [`delta.feature.${name}`]: 'supported' })
    if (!info.create) {
      expect(create).toThrow(expect.objectContaining({ name: 'ProtocolError', code: 'UnsupportedFeature', context: { feature: name } }))
      return
    }
    const protocol = create()
    expect(supportedFeatures(protocol).has(name)).toBe(true)
    expect(protocol.minReaderVersion).toBe(info.kind === 'readerWriter' ? 3 : 1)
    expect(protocol.minWriterVersion).toBe(info.legacy === undefined || info.kind === 'readerWriter' ? 7 : Math.max(2, info.legacy.writer))
  })

  it('is in use when its boolean property is true', () => {
    const property = info.enabledBy?.property
    if (property === undefined || info.enabledBy?.enables !== undefined) return
    expect(featuresInUse(plain, { [property]: 'TRUE' }).has(name)).toBe(true)
    expect(featuresInUse(plain, { [property.toUpperCase()]: 'true' }).has(name)).toBe(true)
    expect(featuresInUse(plain, { [property]: 'false' }).has(name)).toBe(false)
  })
})

describe('checkRequirements', () => {
  const records: Readonly<Record<string, FeatureInfo>> = {
    tracking: { name: 'tracking', kind: 'writer', read: true, write: true, create: true, requires: [{ feature: 'domains', as: 'supported' }] },
    compat: { name: 'compat', kind: 'writer', read: true, write: true, create: true, requires: [{ feature: 'mapping', as: 'enabled' }, { feature: 'dvs', as: 'notSupported' }] },
  }
  const lookup = (name: string): FeatureInfo | undefined => (Object.hasOwn(records, name) ? records[name] : undefined)

  it('accepts features whose requirements hold', () => {
    expect(() => checkRequirements(['tracking', 'compat'], new Set(['tracking', 'domains', 'compat', 'mapping']), 'create a table', lookup)).not.toThrow()
  })

  it.each([
    ['a missing supported feature', ['tracking'], ['tracking'], 'tracking', 'domains', "cannot create a table with feature 'tracking': it requires feature 'domains' to be supported, found it missing"],
    ['a missing enabled feature', ['compat'], ['compat'], 'compat', 'mapping', "cannot create a table with feature 'compat': it requires feature 'mapping' to be enabled, found it missing"],
    ['an excluded feature', ['compat'], ['compat', 'mapping', 'dvs'], 'compat', 'dvs', "cannot create a table with feature 'compat': it requires feature 'dvs' not to be supported, found it supported"],
  ])('refuses %s with InvalidProtocol naming both features', (_case, features, supported, feature, required, message) => {
    expect(() => checkRequirements(features, new Set(supported), 'create a table', lookup)).toThrow(
      expect.objectContaining({ name: 'ProtocolError', code: 'InvalidProtocol', context: { feature, required }, message }),
    )
  })

  it('holds for every feature lake can create, alone', () => {
    for (const info of FEATURES.filter((f) => f.create)) {
      expect(() => checkRequirements([info.name], new Set([info.name]), 'create a table')).not.toThrow()
    }
  })
})
