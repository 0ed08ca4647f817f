import { describe, expect, it } from 'vitest'
import type { DataType, StructField, StructType } from '@lake/parquet'
import type { Protocol } from '../src/actions/types.js'
import { minimalProtocol } from '../src/features/index.js'
import { assertCanWrite, canWrite, canWriteCheckpoint } from '../src/features/index.js'
import type { WriteIntent } from '../src/features/index.js'
import { collectConstraints } from '../src/schema/constraints.js'

const p = (name: string): DataType => ({ kind: 'primitive', name } as DataType)
const f = (name: string, type: DataType, metadata: Record<string, unknown> = {}): StructField => ({ name, type, nullable: true, metadata })
const struct = (...fields: StructField[]): StructType => ({ kind: 'struct', fields })
const plain = struct(f('id', p('long')), f('s', p('string')))
const invariant = { 'delta.invariants': JSON.stringify({ expression: { expression: 'id > 0' } }) }

describe('minimalProtocol', () => {
  it.each<[string, StructType, Record<string, string>, Protocol]>([
    ['a plain table', plain, {}, { minReaderVersion: 1, minWriterVersion: 2 }],
    ['appendOnly', plain, { 'delta.appendOnly': 'true' }, { minReaderVersion: 1, minWriterVersion: 2 }],
    ['a CHECK constraint', plain, { 'delta.constraints.pos': 'id > 0' }, { minReaderVersion: 1, minWriterVersion: 3 }],
    ['change data feed', plain, { 'delta.enableChangeDataFeed': 'true' }, { minReaderVersion: 1, minWriterVersion: 4 }],
    ['change data feed off', plain, { 'delta.enableChangeDataFeed': 'false' }, { minReaderVersion: 1, minWriterVersion: 2 }],
    ['timestamp_ntz nested in an array', struct(f('a', { kind: 'array', elementType: p('timestamp_ntz'), containsNull: true })), {},
      { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['timestampNtz'] }],
    ['timestamp_ntz with an invariant', struct(f('t', p('timestamp_ntz'), invariant)), {},
      { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['timestampNtz'], writerFeatures: ['timestampNtz', 'invariants'] }],
    ['deletion vectors', plain, { 'delta.enableDeletionVectors': 'true' },
      { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['deletionVectors'], writerFeatures: ['deletionVectors'] }],
    ['in-commit timestamps', plain, { 'delta.enableInCommitTimestamps': 'true' },
      { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: ['inCommitTimestamp'] }],
    ['column mapping (mode name or id)', plain, { 'delta.columnMapping.mode': 'id' },
      { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['columnMapping'], writerFeatures: ['columnMapping'] }],
    ['an explicit lowercase feature property', plain, { 'delta.feature.vacuumprotocolcheck': 'supported' },
      { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: ['vacuumProtocolCheck'], writerFeatures: ['vacuumProtocolCheck'] }],
  ])('gives %s the lowest protocol', (_name, schema, config, expected) => {
    expect(minimalProtocol(schema, config)).toEqual(expected)
  })

  it.each<[string, Record<string, string>]>([
    ['rowTracking', { 'delta.enableRowTracking': 'true' }],
    ['generatedColumns', { 'delta.feature.generatedColumns': 'supported' }],
    ['madeUpFeature', { 'delta.feature.madeUpFeature': 'enabled' }],
  ])('refuses to create a table with %s', (feature, config) => {
    expect(() => minimalProtocol(plain, config)).toThrow(expect.objectContaining({ code: 'UnsupportedFeature', context: { feature } }))
  })
})

describe('canWrite', () => {
  const append: WriteIntent = { removesData: false }
  const overwrite: WriteIntent = { removesData: true }
  const v = (r: number, w: number, readerFeatures?: string[], writerFeatures?: string[]): Protocol =>
    ({ minReaderVersion: r, minWriterVersion: w, ...(readerFeatures ? { readerFeatures } : {}), ...(writerFeatures ? { writerFeatures } : {}) })

  it.each<[string, Protocol, StructType, Record<string, string>, WriteIntent, string | undefined]>([
    ['(1,2) plain append', v(1, 2), plain, {}, append, undefined],
    ['(1,4) without generated columns', v(1, 4), plain, {}, overwrite, undefined],
    ['(1,4) with a generated column', v(1, 4), struct(f('g', p('long'), { 'delta.generationExpression': 'id + 1' })), {}, append, 'generatedColumns'],
    ['(1,6) with an identity column', v(1, 6), struct(f('g', p('long'), { 'delta.identity.start': 1 })), {}, append, 'identityColumns'],
    ['(2,5) column mapping by name', v(2, 5), plain, { 'delta.columnMapping.mode': 'name' }, append, undefined],
    ['(2,5) column mapping mode none', v(2, 5), plain, { 'delta.columnMapping.mode': 'none' }, append, undefined],
    ['DV table append', v(3, 7, ['deletionVectors'], ['deletionVectors']), plain, { 'delta.enableDeletionVectors': 'true' }, append, undefined],
    ['DV table writing DVs', v(3, 7, ['deletionVectors'], ['deletionVectors']), plain, {}, { removesData: true, writesDeletionVectors: true }, undefined],
    ['CDF rewriting rows', v(1, 4), plain, { 'delta.enableChangeDataFeed': 'true' }, { removesData: true, rewritesRows: true }, 'changeDataFeed'],
    ['CDF whole-file overwrite', v(1, 4), plain, { 'delta.enableChangeDataFeed': 'true' }, overwrite, undefined],
    ['listed rowTracking', v(1, 7, undefined, ['rowTracking']), plain, {}, append, 'rowTracking'],
    ['listed clustering', v(1, 7, undefined, ['clustering', 'domainMetadata']), plain, {}, append, 'clustering'],
    ['listed icebergCompatV2', v(1, 7, undefined, ['icebergCompatV2']), plain, {}, append, 'icebergCompatV2'],
    ['listed allowColumnDefaults', v(1, 7, undefined, ['allowColumnDefaults']), plain, {}, append, 'allowColumnDefaults'],
    ['listed unknown feature', v(1, 7, undefined, ['futureThing']), plain, {}, append, 'futureThing'],
    ['ICT + timestampNtz + v2Checkpoint', v(3, 7, ['timestampNtz', 'v2Checkpoint'], ['timestampNtz', 'v2Checkpoint', 'inCommitTimestamp']), plain, {}, overwrite, undefined],
    ['appendOnly table append', v(1, 2), plain, { 'delta.appendOnly': 'true' }, append, undefined],
    ['appendOnly table overwrite', v(1, 2), plain, { 'delta.appendOnly': 'TRUE' }, overwrite, 'appendOnly'],
    ['invariant we cannot evaluate', v(1, 2), struct(f('id', p('long'), invariant)), {}, append, 'invariants'],
    ['CHECK constraint we cannot evaluate', v(1, 3), plain, { 'delta.constraints.pos': 'id > 0' }, append, 'checkConstraints'],
  ])('%s', (_name, protocol, schema, configuration, intent, refusedFeature) => {
    const check = canWrite({ protocol, schema, configuration }, intent)
    if (refusedFeature === undefined) expect(check).toEqual({ status: 'ok' })
    else expect(check).toMatchObject({ status: 'unsupported', feature: refusedFeature })
  })

  it('accepts constraints the evaluator can express, and refuses the others by name', () => {
    const target = { protocol: v(1, 3), schema: struct(f('id', p('long'), invariant)), configuration: { 'delta.constraints.small': 'id < 10', 'delta.constraints.fancy': 'udf(id)' } }
    const canEvaluate = (e: string): boolean => !e.includes('udf')
    expect(canWrite(target, append, { canEvaluate })).toEqual({ status: 'unsupported', feature: 'checkConstraints', message: "CHECK constraint 'fancy' (udf(id)) cannot be evaluated by lake" })
    expect(canWrite({ ...target, configuration: { 'delta.constraints.small': 'id < 10' } }, append, { canEvaluate })).toEqual({ status: 'ok' })
  })

  it('throws UnsupportedFeature from assertCanWrite, and refuses unreadable tables', () => {
    expect(() => assertCanWrite({ protocol: v(1, 7, undefined, ['rowTracking']), schema: plain, configuration: {} }, append)).toThrow(
      expect.objectContaining({ name: 'ProtocolError', code: 'UnsupportedFeature', context: { feature: 'rowTracking' } }),
    )
    expect(() => canWrite({ protocol: v(3, 7, ['catalogManaged'], ['catalogManaged']), schema: plain, configuration: {} }, append)).toThrow(/catalogManaged/)
  })

  it('allows classic checkpoints except under v2Checkpoint', () => {
    expect(canWriteCheckpoint(v(1, 2))).toBe(true)
    expect(canWriteCheckpoint(v(3, 7, ['v2Checkpoint'], ['v2Checkpoint']))).toBe(false)
  })
})

describe('collectConstraints', () => {
  it('collects nested invariants and CHECK constraints', () => {
    const schema = struct(f('s', struct(f('x', p('long'), invariant))), f('y', p('long'), { 'delta.invariants': 'not json' }))
    expect(collectConstraints(schema, { 'delta.constraints.c1': 'y > 1', other: 'x' })).toEqual([
      { kind: 'invariant', name: 's.x', expression: 'id > 0' },
      { kind: 'invariant', name: 'y', expression: 'not json' },
      { kind: 'check', name: 'c1', expression: 'y > 1' },
    ])
  })
})
