// Per-file statistics (PROTOCOL.md#Per-file Statistics) parsed without losing precision, and the
// typed lower/upper bound of one column from them. Pure.

import type { DataType, Value } from '@lake/parquet'
import { formatDecimal, parseDecimalText } from '../partition/decimal.js'
import { formatTimestamp, formatTimestampNtz, parseDate, parseTimestampMicros } from '../partition/temporal.js'
import { JsonNumber, parseLosslessJson } from './lossless-json.js'
import type { LosslessJson } from './lossless-json.js'

/** Parsed stats; min/max/nullCount nest like the schema and are keyed by physical names. */
export interface FileStatistics {
  readonly numRecords?: number
  readonly minValues: Readonly<Record<string, LosslessJson>>
  readonly maxValues: Readonly<Record<string, LosslessJson>>
  readonly nullCount: Readonly<Record<string, LosslessJson>>
  readonly tightBounds?: boolean
}

type JsonObject = { readonly [key: string]: LosslessJson }

function asObject(v: LosslessJson | undefined): JsonObject {
  return v !== null && typeof v === 'object' && !(v instanceof JsonNumber) && !Array.isArray(v) ? v : {}
}

function asCount(v: LosslessJson | undefined): number | undefined {
  return v instanceof JsonNumber && /^\d+$/.test(v.text) ? Number(v.text) : undefined
}

/** Parses an add action's `stats` JSON string. Missing or malformed stats give undefined (no skipping). */
export function parseFileStats(json: string | null | undefined): FileStatistics | undefined {
  if (json === null || json === undefined || json === '') return undefined
  let root: JsonObject
  try {
    root = asObject(parseLosslessJson(json))
  } catch {
    return undefined
  }
  const tight = root['tightBounds']
  return {
    numRecords: asCount(root['numRecords']),
    minValues: asObject(root['minValues']),
    maxValues: asObject(root['maxValues']),
    nullCount: asObject(root['nullCount']),
    tightBounds: typeof tight === 'boolean' ? tight : undefined,
  }
}

/** The raw stats entry at a physical path in one of the stats maps. */
export function statsEntry(map: Readonly<Record<string, LosslessJson>>, path: readonly string[]): LosslessJson | undefined {
  let current: LosslessJson | undefined = map as JsonObject
  for (const name of path) {
    const node = asObject(current)
    current = Object.hasOwn(node, name) ? node[name] : undefined
  }
  return current
}

/** The null count of a column, when the stats have it. */
export function statsNullCount(stats: FileStatistics, path: readonly string[]): number | undefined {
  return asCount(statsEntry(stats.nullCount, path))
}

function fromNumber(text: string, type: DataType): Value | undefined {
  if (type.kind === 'decimal') {
    const d = parseDecimalText(text)
    return d === undefined ? undefined : formatDecimal(d)
  }
  if (type.kind !== 'primitive') return undefined
  switch (type.name) {
    case 'long':
      return /^-?\d+$/.test(text) ? BigInt(text) : undefined
    case 'byte':
    case 'short':
    case 'integer':
    case 'float':
    case 'double':
      return Number(text)
    default:
      return undefined
  }
}

function fromString(text: string, type: DataType): Value | undefined {
  if (type.kind === 'decimal') return fromNumber(text, type)
  if (type.kind !== 'primitive') return undefined
  switch (type.name) {
    case 'string':
      return text
    case 'date':
      return parseDate(text)
    case 'timestamp':
    case 'timestamp_ntz': {
      const ts = parseTimestampMicros(text)
      if (ts === undefined) return undefined
      return type.name === 'timestamp' ? formatTimestamp(ts.micros) : formatTimestampNtz(ts.micros)
    }
    default:
      // "NaN"/"Infinity" floats and anything else in a string: no usable bound.
      return undefined
  }
}

/** A stats min/max entry as a typed value of the column type, or undefined when unusable. */
export function statsValue(raw: LosslessJson | undefined, type: DataType): Value | undefined {
  if (raw instanceof JsonNumber) return fromNumber(raw.text, type)
  if (typeof raw === 'string') return fromString(raw, type)
  if (typeof raw === 'boolean') return type.kind === 'primitive' && type.name === 'boolean' ? raw : undefined
  return undefined
}
