// Observations of the table-feature rules (readability, writability, minimal protocol, upgrade),
// as plain strings, so a test can pin them literally. Built only from the exported functions.

import type { DataType, StructField, StructType } from '@lake/parquet'
import type { Metadata, Protocol } from '../../src/actions/types.js'
import {
  KNOWN_WRITER_FEATURES, SUPPORTED_READER_FEATURES, assertCanWrite, assertWritable, canWrite, canWriteCheckpoint,
  checkReadable, hasReaderFeature, hasWriterFeature, minimalProtocol, supportedFeatures,
} from '../../src/internal.js'
import type { WriteIntent } from '../../src/internal.js'
import type { Snapshot } from '../../src/snapshot/snapshot.js'
import { mergeIntoPlan } from '../../src/operations/write/plan.js'
import type { WritingPlan } from '../../src/operations/write/plan.js'

const prim = (name: string): DataType => ({ kind: 'primitive', name } as DataType)
const field = (name: string, type: DataType, metadata: Record<string, unknown> = {}): StructField => ({ name, type, nullable: true, metadata })
const struct = (...fields: StructField[]): StructType => ({ kind: 'struct', fields })

export const SCHEMAS: Readonly<Record<string, StructType>> = {
  plain: struct(field('id', prim('long'))),
  invariant: struct(field('id', prim('long'), { 'delta.invariants': JSON.stringify({ expression: { expression: 'id > 0' } }) })),
  generated: struct(field('id', prim('long')), field('g', prim('long'), { 'delta.generationExpression': 'id + 1' })),
  identity: struct(field('id', prim('long'), { 'delta.identity.start': 1 })),
  ntz: struct(field('id', prim('long')), field('t', { kind: 'map', keyType: prim('string'), valueType: prim('timestamp_ntz'), valueContainsNull: true } as DataType)),
}

export const INTENTS: Readonly<Record<string, WriteIntent>> = {
  append: { removesData: false },
  overwrite: { removesData: true },
  rewrite: { removesData: true, rewritesRows: true },
  dv: { removesData: true, writesDeletionVectors: true },
}

/** A property that turns each feature on, where one exists. */
export const ENABLING: Readonly<Record<string, Record<string, string>>> = {
  appendOnly: { 'delta.appendOnly': 'true' },
  changeDataFeed: { 'delta.enableChangeDataFeed': 'true' },
  columnMapping: { 'delta.columnMapping.mode': 'name' },
  deletionVectors: { 'delta.enableDeletionVectors': 'true' },
  inCommitTimestamp: { 'delta.enableInCommitTimestamps': 'true' },
  rowTracking: { 'delta.enableRowTracking': 'true' },
  typeWidening: { 'delta.enableTypeWidening': 'true' },
  icebergCompatV1: { 'delta.enableIcebergCompatV1': 'true' },
  icebergCompatV2: { 'delta.enableIcebergCompatV2': 'true' },
  v2Checkpoint: { 'delta.checkpointPolicy': 'v2' },
  checkConstraints: { 'delta.constraints.pos': 'id > 0' },
}

export const EXTRA_FEATURES = ['catalogManaged', 'futureThing'] as const

/** Every feature name the observations run over: the known ones and two lake does not know. */
export function allFeatures(): string[] {
  return [...KNOWN_WRITER_FEATURES].sort().concat(EXTRA_FEATURES)
}

/** A (3,7) protocol for a reader feature, else (1,7), listing `feature` only. */
export function listing(feature: string): Protocol {
  return SUPPORTED_READER_FEATURES.has(feature) || feature === 'catalogManaged'
    ? { minReaderVersion: 3, minWriterVersion: 7, readerFeatures: [feature], writerFeatures: [feature] }
    : { minReaderVersion: 1, minWriterVersion: 7, writerFeatures: [feature] }
}

/** Runs `f`; a throw becomes `name code {context}: message`. */
export function attempt(f: () => string): string {
  try {
    return f()
  } catch (e) {
    const err = e as { name: string; code: string; message: string; context?: unknown }
    return `${err.name} ${err.code} ${JSON.stringify(err.context)}: ${err.message}`
  }
}

function checkText(protocol: Protocol, schema: StructType, configuration: Record<string, string>, intent: WriteIntent, canEvaluate?: (e: string) => boolean): string {
  return attempt(() => {
    const c = canWrite({ protocol, schema, configuration }, intent, canEvaluate === undefined ? {} : { canEvaluate })
    return c.status === 'ok' ? 'ok' : `${c.feature}: ${c.message}`
  })
}

/** canWrite of each feature listed alone, each intent, without and with its enabling property. */
export function writeMatrix(): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const feature of allFeatures()) {
    for (const [label, config] of [['', {}], [' enabled', ENABLING[feature]]] as const) {
      if (config === undefined) continue
      const schema = feature === 'invariants' ? SCHEMAS['invariant'] : SCHEMAS['plain']
      out[feature + label] = Object.values(INTENTS).map((intent) => checkText(listing(feature), schema!, { ...config }, intent))
    }
  }
  return out
}

export const LEGACY: readonly (readonly [number, number])[] = [[1, 1], [1, 2], [1, 3], [1, 4], [1, 5], [1, 6], [2, 5], [2, 6]]

/** canWrite at legacy versions for each schema, without and with delta.appendOnly=true, append and overwrite. */
export function legacyWriteMatrix(): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [r, w] of LEGACY) {
    for (const [name, schema] of Object.entries(SCHEMAS)) {
      for (const [label, config] of [['', {}], [' appendOnly', { 'delta.appendOnly': 'true' }]] as const) {
        const protocol = { minReaderVersion: r, minWriterVersion: w }
        out[`(${r},${w}) ${name}${label}`] = [INTENTS['append']!, INTENTS['overwrite']!].map((i) => checkText(protocol, schema, { ...config }, i))
      }
    }
  }
  return out
}

/** Legacy expansion: the features each legacy protocol supports, and its reader features. */
export function legacyTables(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [r, w] of LEGACY) {
    const protocol = { minReaderVersion: r, minWriterVersion: w }
    const known = [...KNOWN_WRITER_FEATURES]
    out[`(${r},${w})`] = [
      [...supportedFeatures(protocol)].join(','),
      known.filter((f) => hasWriterFeature(protocol, f)).join(','),
      known.filter((f) => hasReaderFeature(protocol, f)).join(','),
    ].join(' | ')
  }
  return out
}

/** assertCanWrite, assertWritable and canWriteCheckpoint of each feature listed alone. */
export function guardMatrix(): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const feature of allFeatures()) {
    const protocol = listing(feature)
    out[feature] = [
      attempt(() => (assertCanWrite({ protocol, schema: SCHEMAS['plain']!, configuration: {} }, INTENTS['append']!), 'ok')),
      attempt(() => (assertWritable({ protocol }, 'vacuum'), 'ok')),
      attempt(() => String(canWriteCheckpoint(protocol))),
      attempt(() => (checkReadable(protocol, 4), 'ok')),
    ]
  }
  return out
}

const protocolText = (p: Protocol): string => JSON.stringify(p)

/** minimalProtocol for each feature by `delta.feature.*` (as spelled and lowercased) and by its property. */
export function createMatrix(): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const feature of allFeatures()) {
    out[feature] = [
      attempt(() => protocolText(minimalProtocol(SCHEMAS['plain']!, { [`delta.feature.${feature}`]: 'supported' }))),
      attempt(() => protocolText(minimalProtocol(SCHEMAS['plain']!, { [`delta.feature.${feature.toLowerCase()}`]: 'enabled' }))),
      attempt(() => (ENABLING[feature] === undefined ? '-' : protocolText(minimalProtocol(SCHEMAS['plain']!, ENABLING[feature]!)))),
    ]
  }
  return out
}

/** minimalProtocol of combinations (order of the listed features, legacy versions). */
export const CREATE_CASES: Readonly<Record<string, readonly [string, Record<string, string>]>> = {
  'plain': ['plain', {}],
  'ntz': ['ntz', {}],
  'invariant': ['invariant', {}],
  'invariant + check + cdf': ['invariant', { 'delta.enableChangeDataFeed': 'true', 'delta.constraints.c': 'id > 1' }],
  'cdf + check + dv': ['plain', { 'delta.enableChangeDataFeed': 'TRUE', 'delta.constraints.c': 'id > 1', 'delta.enableDeletionVectors': 'true' }],
  'dv + ntz + ict': ['ntz', { 'delta.enableDeletionVectors': 'true', 'delta.enableInCommitTimestamps': 'true' }],
  'cdf + domainMetadata': ['plain', { 'delta.enableChangeDataFeed': 'true', 'delta.feature.domainMetadata': 'supported' }],
  'appendOnly + check': ['plain', { 'delta.appendOnly': 'true', 'delta.constraints.c': 'id > 1' }],
  'properties false': ['plain', { 'delta.appendOnly': 'false', 'delta.enableDeletionVectors': 'false', 'delta.columnMapping.mode': 'None', 'delta.checkpointPolicy': 'classic' }],
  'feature value other than supported': ['plain', { 'delta.feature.appendOnly': 'disabled' }],
  'generated column': ['generated', {}],
  'identity column': ['identity', {}],
}

export function createCases(): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, [schema, config]] of Object.entries(CREATE_CASES)) out[name] = attempt(() => protocolText(minimalProtocol(SCHEMAS[schema]!, config)))
  return out
}

const P = (r: number, w: number, readerFeatures?: string[], writerFeatures?: string[]): Protocol =>
  ({ minReaderVersion: r, minWriterVersion: w, ...(readerFeatures ? { readerFeatures } : {}), ...(writerFeatures ? { writerFeatures } : {}) })

export const UPGRADE_FROM: Readonly<Record<string, Protocol>> = {
  '(1,1)': P(1, 1), '(1,2)': P(1, 2), '(1,3)': P(1, 3), '(1,4)': P(1, 4), '(1,6)': P(1, 6), '(2,5)': P(2, 5),
  '(1,7) appendOnly': P(1, 7, undefined, ['appendOnly']),
  '(3,7) dv': P(3, 7, ['deletionVectors'], ['deletionVectors', 'appendOnly']),
  '(3,7) ntz': P(3, 7, ['timestampNtz'], ['timestampNtz']),
}

export const UPGRADE_CONFIG: Readonly<Record<string, Record<string, string>>> = {
  none: {},
  ict: { 'delta.enableInCommitTimestamps': 'true' },
  dv: { 'delta.enableDeletionVectors': 'true' },
  cdf: { 'delta.enableChangeDataFeed': 'true' },
  check: { 'delta.constraints.c': 'id > 0' },
  rowTracking: { 'delta.enableRowTracking': 'true' },
}

/** plan-write's upgrade (through mergeIntoPlan): the protocol a schema change commits, or '-' for none. */
export function upgradeMatrix(): Record<string, string[]> {
  const out: Record<string, string[]> = {}
  for (const [from, protocol] of Object.entries(UPGRADE_FROM)) {
    for (const [label, configuration] of Object.entries(UPGRADE_CONFIG)) {
      const snapshot = { protocol } as unknown as Snapshot
      const metadata: Metadata = { id: 'x', format: { provider: 'parquet', options: {} }, schemaString: '{}', partitionColumns: [], configuration }
      const plan: WritingPlan = { kind: 'write', schema: SCHEMAS['plain']!, partitionColumns: [], metadata, removeAll: false, isCreate: false }
      out[`${from} ${label}`] = [SCHEMAS['ntz']!, struct(field('id', prim('long')), field('n', prim('long')))].map((incoming) =>
        attempt(() => {
          const p = mergeIntoPlan(snapshot, plan, incoming).protocol
          return p === undefined ? '-' : protocolText(p)
        }))
    }
  }
  return out
}
