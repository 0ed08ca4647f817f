// Protocol legality, readable features, and typed table properties.

import { describe, expect, it } from 'vitest'
import { checkReadable, hasReaderFeature, hasWriterFeature, parseInterval, parseTableConfig, supportedFeatures } from '../src/internal.js'
import type { Protocol } from '../src/internal.js'

const p = (r: number, w: number, readerFeatures?: string[], writerFeatures?: string[]): Protocol => ({
  minReaderVersion: r,
  minWriterVersion: w,
  ...(readerFeatures === undefined ? {} : { readerFeatures }),
  ...(writerFeatures === undefined ? {} : { writerFeatures }),
})

describe('checkReadable', () => {
  it.each([
    ['legacy 1/2', p(1, 2)],
    ['column mapping 2/5', p(2, 5)],
    ['writer features only 1/7', p(1, 7, undefined, ['appendOnly', 'someFutureWriterFeature'])],
    ['deletion vectors 3/7', p(3, 7, ['deletionVectors'], ['deletionVectors'])],
    ['every implemented reader feature', p(3, 7, ['columnMapping', 'deletionVectors', 'timestampNtz', 'v2Checkpoint', 'vacuumProtocolCheck', 'typeWidening', 'typeWidening-preview'], ['columnMapping', 'deletionVectors', 'timestampNtz', 'v2Checkpoint', 'vacuumProtocolCheck', 'typeWidening', 'typeWidening-preview'])],
  ])('accepts %s', (_, protocol) => {
    expect(() => checkReadable(protocol)).not.toThrow()
  })

  it.each([
    ['reader version 99', p(99, 7, [], []), 'minReaderVersion'],
    ['reader version 0', p(0, 2), 'minReaderVersion'],
    ['writer version 8', p(1, 8), 'minWriterVersion'],
    ['reader 3 without writer 7', p(3, 6, []), 'minWriterVersion 7'],
    ['reader 3 without readerFeatures', p(3, 7, undefined, []), 'expected readerFeatures'],
    ['writer 7 without writerFeatures', p(1, 7), 'expected writerFeatures'],
    ['reader features below reader 3', p(2, 7, ['columnMapping'], ['columnMapping']), 'no readerFeatures'],
    ['a reader feature missing from writerFeatures', p(3, 7, ['deletionVectors'], []), 'missing deletionVectors'],
  ])('refuses %s with InvalidProtocol', (_, protocol, fragment) => {
    expect(() => checkReadable(protocol, 5)).toThrow(expect.objectContaining({ code: 'InvalidProtocol' }))
    expect(() => checkReadable(protocol, 5)).toThrow(fragment)
  })

  it.each(['catalogManaged', 'variantType', 'somethingNew'])('refuses reader feature %s with UnsupportedFeature naming it', (feature) => {
    const protocol = p(3, 7, [feature], [feature])
    expect(() => checkReadable(protocol)).toThrow(expect.objectContaining({ code: 'UnsupportedFeature', context: { feature, version: undefined } }))
    expect(() => checkReadable(protocol)).toThrow(`'${feature}'`)
  })
})

describe('table features', () => {
  it.each([
    [p(1, 2), 'appendOnly', true],
    [p(1, 2), 'checkConstraints', false],
    [p(1, 4), 'changeDataFeed', true],
    [p(1, 7, undefined, ['changeDataFeed']), 'changeDataFeed', true],
    [p(1, 7, undefined, []), 'appendOnly', false],
  ])('writer feature support of %o for %s is %s', (protocol, feature, expected) => {
    expect(hasWriterFeature(protocol, feature)).toBe(expected)
  })

  it('implies column mapping from reader version 2', () => {
    expect(hasReaderFeature(p(2, 5), 'columnMapping')).toBe(true)
    expect(hasReaderFeature(p(1, 5), 'columnMapping')).toBe(false)
    expect(hasReaderFeature(p(3, 7, ['columnMapping'], ['columnMapping']), 'columnMapping')).toBe(true)
  })

  it('lists legacy implied and explicit features together', () => {
    expect([...supportedFeatures(p(2, 5))].sort()).toEqual(['appendOnly', 'changeDataFeed', 'checkConstraints', 'columnMapping', 'generatedColumns', 'invariants'])
    expect([...supportedFeatures(p(3, 7, ['v2Checkpoint'], ['v2Checkpoint', 'rowTracking']))].sort()).toEqual(['rowTracking', 'v2Checkpoint'])
  })
})

describe('parseInterval', () => {
  it.each([
    ['interval 30 days', 30 * 86_400_000],
    ['interval 1 week', 7 * 86_400_000],
    ['INTERVAL 2 DAYS', 2 * 86_400_000],
    ['7 days', 7 * 86_400_000],
    ['interval 1 day 12 hours', 36 * 3_600_000],
    ['interval 90 seconds', 90_000],
    ['interval 500 milliseconds', 500],
  ])('parses %s', (text, ms) => {
    expect(parseInterval(text)).toBe(ms)
  })

  it.each(['interval 1 month', 'interval 2 years', 'soon', '', 'interval', '5 days later'])('refuses %s', (text) => {
    expect(parseInterval(text)).toBeUndefined()
  })
})

describe('parseTableConfig', () => {
  it('applies the Delta defaults to an empty configuration', () => {
    const config = parseTableConfig({})
    expect(config).toMatchObject({
      appendOnly: false,
      checkpointInterval: 10,
      logRetentionMs: 30 * 86_400_000,
      deletedFileRetentionMs: 7 * 86_400_000,
      columnMappingMode: 'none',
      isolationLevel: 'WriteSerializable',
      dataSkippingNumIndexedCols: 32,
      enableInCommitTimestamps: false,
      constraints: {},
    })
  })

  it('parses set properties', () => {
    const config = parseTableConfig({
      'delta.appendOnly': 'true',
      'delta.checkpointInterval': '5',
      'delta.deletedFileRetentionDuration': 'interval 2 days',
      'delta.columnMapping.mode': 'name',
      'delta.isolationLevel': 'Serializable',
      'delta.constraints.positive': 'id > 0',
      'delta.dataSkippingStatsColumns': 'a, b.c',
      'delta.enableInCommitTimestamps': 'true',
      'delta.inCommitTimestampEnablementVersion': '4',
    })
    expect(config).toMatchObject({
      appendOnly: true,
      checkpointInterval: 5,
      deletedFileRetentionMs: 2 * 86_400_000,
      columnMappingMode: 'name',
      isolationLevel: 'Serializable',
      constraints: { positive: 'id > 0' },
      dataSkippingStatsColumns: ['a', 'b.c'],
      enableInCommitTimestamps: true,
      inCommitTimestampEnablementVersion: 4,
    })
  })

  it.each([
    ['delta.appendOnly', 'yes'],
    ['delta.checkpointInterval', '0'],
    ['delta.logRetentionDuration', 'interval 1 month'],
    ['delta.columnMapping.mode', 'fancy'],
  ])('rejects %s = %s with InvalidConfig naming the key', (key, value) => {
    expect(() => parseTableConfig({ [key]: value })).toThrow(expect.objectContaining({ code: 'InvalidConfig', context: { key } }))
  })
})
