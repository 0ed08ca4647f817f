// Pins the table-feature rules as they were before the feature registry (issue 11, step 7): the
// constant sets literally, and every observation of observe.ts against pinned-behaviour.json,
// recorded from the code of protocol/features.ts, write/can-write.ts, write/protocol-for.ts,
// write/assert-writable.ts and plan-write's upgrade. A change here is a behaviour change.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { KNOWN_WRITER_FEATURES, SUPPORTED_READER_FEATURES, canWrite, checkReadable, hasReaderFeature, hasWriterFeature } from '../../src/internal.js'
import type { Protocol } from '../../src/internal.js'
import { SCHEMAS, createCases, createMatrix, guardMatrix, legacyTables, legacyWriteMatrix, listing, upgradeMatrix, writeMatrix } from './observe.js'

const pinned = JSON.parse(readFileSync(new URL('./pinned-behaviour.json', import.meta.url), 'utf8')) as Record<string, unknown>

describe('the feature sets lake had before the registry', () => {
  it('reads these reader features, in this order (error messages list them)', () => {
    expect([...SUPPORTED_READER_FEATURES]).toEqual([
      'columnMapping', 'deletionVectors', 'timestampNtz', 'v2Checkpoint', 'vacuumProtocolCheck', 'typeWidening', 'typeWidening-preview',
    ])
  })

  it('knows these writer features', () => {
    expect([...KNOWN_WRITER_FEATURES].sort()).toEqual([
      'allowColumnDefaults', 'appendOnly', 'changeDataFeed', 'checkConstraints', 'clustering', 'columnMapping', 'deletionVectors',
      'domainMetadata', 'generatedColumns', 'icebergCompatV1', 'icebergCompatV2', 'identityColumns', 'inCommitTimestamp', 'invariants',
      'rowTracking', 'timestampNtz', 'typeWidening', 'typeWidening-preview', 'v2Checkpoint', 'vacuumProtocolCheck',
    ])
  })

  it('maps legacy versions to these features (writer 2..6, reader 2)', () => {
    const implied = (w: number): string[] => [...KNOWN_WRITER_FEATURES].filter((f) => hasWriterFeature({ minReaderVersion: 1, minWriterVersion: w }, f)).sort()
    expect(implied(1)).toEqual([])
    expect(implied(2)).toEqual(['appendOnly', 'invariants'])
    expect(implied(3)).toEqual(['appendOnly', 'checkConstraints', 'invariants'])
    expect(implied(4)).toEqual(['appendOnly', 'changeDataFeed', 'checkConstraints', 'generatedColumns', 'invariants'])
    expect(implied(5)).toEqual(['appendOnly', 'changeDataFeed', 'checkConstraints', 'columnMapping', 'generatedColumns', 'invariants'])
    expect(implied(6)).toEqual(['appendOnly', 'changeDataFeed', 'checkConstraints', 'columnMapping', 'generatedColumns', 'identityColumns', 'invariants'])
    expect([...KNOWN_WRITER_FEATURES].filter((f) => hasReaderFeature({ minReaderVersion: 2, minWriterVersion: 5 }, f))).toEqual(['columnMapping'])
  })

  it('writes to a table listing one of exactly these features when no property turns it on', () => {
    const always = [...KNOWN_WRITER_FEATURES].filter((feature) => {
      const schema = SCHEMAS['plain']!
      return [false, true].every((removesData) =>
        canWrite({ protocol: listing(feature), schema, configuration: {} }, { removesData, rewritesRows: removesData, writesDeletionVectors: false }).status === 'ok')
    })
    expect(always.sort()).toEqual([
      'appendOnly', 'changeDataFeed', 'checkConstraints', 'columnMapping', 'deletionVectors', 'domainMetadata', 'generatedColumns', 'inCommitTimestamp',
      'invariants', 'timestampNtz', 'typeWidening', 'typeWidening-preview', 'v2Checkpoint', 'vacuumProtocolCheck',
    ])
  })

  it('names the unreadable reader feature and what lake supports', () => {
    const protocol: Protocol = { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['variantType'], writerFeatures: ['variantType'] }
    expect(() => checkReadable(protocol, 3)).toThrow(expect.objectContaining({
      name: 'ProtocolError',
      code: 'UnsupportedFeature',
      context: { version: 3, feature: 'variantType' },
      message: "table requires reader feature 'variantType', which lake does not implement (supported: columnMapping, deletionVectors, timestampNtz, v2Checkpoint, vacuumProtocolCheck, typeWidening, typeWidening-preview)",
    }))
  })
})

describe('feature rules pinned in pinned-behaviour.json', () => {
  it.each([
    ['legacyTables', legacyTables],
    ['writeMatrix', writeMatrix],
    ['legacyWriteMatrix', legacyWriteMatrix],
    ['guardMatrix', guardMatrix],
    ['createMatrix', createMatrix],
    ['createCases', createCases],
    ['upgradeMatrix', upgradeMatrix],
  ] as const)('%s', (name, observe) => {
    expect(observe()).toEqual(pinned[name])
  })
})
