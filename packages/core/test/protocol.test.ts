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
    ['column mapping in writerFeatures only at reader 2', p(2, 7, undefined, ['columnMapping'])],
    ['column mapping in writerFeatures only at reader 3 (as Spark once wrote it)', p(3, 7, [], ['columnMapping', 'appendOnly'])],
    ['an unknown writer feature at reader 3', p(3, 7, ['deletionVectors'], ['deletionVectors', 'someFutureFeature'])],
    ['empty feature lists below reader 3 and writer 7', p(1, 2, [], [])],
    ['every implemented reader feature', p(3, 7, ['columnMapping', 'deletionVectors', 'timestampNtz', 'v2Checkpoint', 'vacuumProtocolCheck', 'typeWidening', 'typeWidening-preview'], ['columnMapping', 'deletionVectors', 'timestampNtz', 'v2Checkpoint', 'vacuumProtocolCheck', 'typeWidening', 'typeWidening-preview'])],
  ])('accepts %s', (_, protocol) => {
    expect(() => checkReadable(protocol)).not.toThrow()
  })

  // Kernel parity (delta-kernel-rs Protocol::try_new): each malformed protocol is refused naming the
  // field found wrong (context.field), the feature to blame (context.feature) and what was expected.
  it.each([
    ['reader version 99', p(99, 7, [], []), 'minReaderVersion', undefined, 'expected minReaderVersion in 1..3, found 99'],
    ['reader version 0', p(0, 2), 'minReaderVersion', undefined, 'expected minReaderVersion in 1..3, found 0'],
    ['a fractional writer version', p(1, 2.5), 'minWriterVersion', undefined, 'expected minWriterVersion in 1..7, found 2.5'],
    ['writer version 8', p(1, 8), 'minWriterVersion', undefined, 'expected minWriterVersion in 1..7, found 8'],
    ['reader 3 with writer 6', p(3, 6, []), 'minWriterVersion', undefined, 'expected minWriterVersion 7 with minReaderVersion 3, found 6'],
    ['reader 3 without readerFeatures', p(3, 7, undefined, []), 'readerFeatures', undefined, 'expected readerFeatures with minReaderVersion 3, found none'],
    ['writer 7 without writerFeatures', p(1, 7), 'writerFeatures', undefined, 'expected writerFeatures with minWriterVersion 7, found none'],
    ['reader features below reader 3', p(2, 7, ['columnMapping'], ['columnMapping']), 'readerFeatures', undefined, 'expected no readerFeatures below minReaderVersion 3, found columnMapping'],
    ['writer features below writer 7', p(1, 4, undefined, ['changeDataFeed']), 'writerFeatures', undefined, 'expected no writerFeatures below minWriterVersion 7, found changeDataFeed'],
    ['a reader feature missing from writerFeatures', p(3, 7, ['deletionVectors'], []), 'writerFeatures', 'deletionVectors', 'expected reader features also in writerFeatures, missing deletionVectors'],
    ['an unknown reader feature missing from writerFeatures', p(3, 7, ['somethingNew'], ['appendOnly']), 'writerFeatures', 'somethingNew', 'missing somethingNew'],
    ['a writer-only feature in readerFeatures', p(3, 7, ['appendOnly'], ['appendOnly']), 'readerFeatures', 'appendOnly', "expected only reader-writer features in readerFeatures, found writer-only feature 'appendOnly'"],
    ['a reader-writer feature in writerFeatures only at reader 3', p(3, 7, ['timestampNtz'], ['timestampNtz', 'deletionVectors']), 'readerFeatures', 'deletionVectors', "expected reader-writer feature 'deletionVectors' of writerFeatures also in readerFeatures, found it missing"],
    ['a reader-writer feature needing reader 3 at reader 1', p(1, 7, undefined, ['deletionVectors']), 'minReaderVersion', 'deletionVectors', "reader-writer feature 'deletionVectors' in writerFeatures needs minReaderVersion 3 with 'deletionVectors' in readerFeatures, found minReaderVersion 1"],
    ['a reader-writer feature needing reader 3 at reader 2', p(2, 7, undefined, ['columnMapping', 'timestampNtz']), 'minReaderVersion', 'timestampNtz', 'needs minReaderVersion 3'],
    ['column mapping at reader 1', p(1, 7, undefined, ['columnMapping']), 'minReaderVersion', 'columnMapping', "reader-writer feature 'columnMapping' in writerFeatures needs minReaderVersion 2 or 3, found minReaderVersion 1"],
  ])('refuses %s with InvalidProtocol naming the field', (_, protocol, field, feature, message) => {
    const context = { version: 5, minReaderVersion: protocol.minReaderVersion, minWriterVersion: protocol.minWriterVersion, field, ...(feature === undefined ? {} : { feature }) }
    expect(() => checkReadable(protocol, 5)).toThrow(expect.objectContaining({ name: 'ProtocolError', code: 'InvalidProtocol', context }))
    expect(() => checkReadable(protocol, 5)).toThrow(message)
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
