// upgradeProtocol lists every feature a legacy protocol implies in the right list(s) when the
// protocol moves to table features: PROTOCOL.md#Table Features, as Spark's
// implicitlySupportedFeatures and delta-kernel-rs read legacy versions (both versions must be met).

import { describe, expect, it } from 'vitest'
import type { Protocol } from '../../src/actions/types.js'
import { upgradeProtocol } from '../../src/features/index.js'
import { validateProtocol } from '../../src/protocol/check-protocol.js'
import { SCHEMAS } from './observe.js'

const ntz = SCHEMAS['ntz']!
const plain = SCHEMAS['plain']!
const legacy = (r: number, w: number): Protocol => ({ minReaderVersion: r, minWriterVersion: w })

describe('upgradeProtocol from legacy versions', () => {
  it('(2,5) → (3,7) lists columnMapping as a reader feature and a writer feature', () => {
    const p = upgradeProtocol(legacy(2, 5), ntz, {})
    expect(p?.minReaderVersion).toBe(3)
    expect(p?.readerFeatures).toEqual(['columnMapping', 'timestampNtz'])
    expect(p?.writerFeatures).toContain('columnMapping')
    expect(p?.writerFeatures).toContain('timestampNtz')
  })

  it('(2,5) → (2,7) keeps reader version 2 (columnMapping implied for readers) with columnMapping in writerFeatures', () => {
    const p = upgradeProtocol(legacy(2, 5), plain, { 'delta.enableInCommitTimestamps': 'true' })
    expect(p).toEqual({
      minReaderVersion: 2, minWriterVersion: 7,
      writerFeatures: ['appendOnly', 'invariants', 'checkConstraints', 'changeDataFeed', 'generatedColumns', 'columnMapping', 'inCommitTimestamp'],
    })
  })

  it('(1,6) does not imply columnMapping (it needs reader 2): not listed in either list', () => {
    const toV3 = upgradeProtocol(legacy(1, 6), ntz, {})
    expect(toV3?.readerFeatures).toEqual(['timestampNtz'])
    expect(toV3?.writerFeatures).not.toContain('columnMapping')
    expect(toV3?.writerFeatures).toContain('identityColumns')
    const toV7 = upgradeProtocol(legacy(1, 6), plain, { 'delta.enableInCommitTimestamps': 'true' })
    expect(toV7?.writerFeatures).not.toContain('columnMapping')
  })

  it('every reader+writer feature of an upgraded protocol is in both lists', () => {
    for (const [r, w] of [[1, 1], [1, 2], [1, 4], [1, 6], [2, 5], [2, 6]] as const) {
      const p = upgradeProtocol(legacy(r, w), ntz, {})!
      expect(() => validateProtocol(p)).not.toThrow()
      for (const f of ['columnMapping', 'timestampNtz']) {
        expect(p.writerFeatures?.includes(f) ?? false).toBe(p.readerFeatures?.includes(f) ?? false)
      }
    }
  })
})
