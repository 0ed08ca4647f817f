// Value -> hyparquet-writer input: checks each JS value against its Delta type, converts it to the
// physical form (days, micros, unscaled bigint), and feeds the file statistics on the way.

import { parseDecimal } from './decimal.js'
import { ParquetError } from './errors.js'
import { setField } from './object-template.js'
import { isStored } from './schema-to-parquet.js'
import { ColumnStats } from './stats.js'
import type { StatsColumn, StatValue } from './stats.js'
import { parseDate, parseTimestamp } from './temporal.js'
import type { DataType, DecimalType, PrimitiveName, StructField, Value } from './types.js'

const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n
const INT_RANGES = { byte: [-128, 127], short: [-32768, 32767], integer: [-2147483648, 2147483647] } as const

/** Hands out stats columns to the first `limit` leaf columns in depth-first order. */
export class StatsAllocator {
  readonly columns: StatsColumn[] = []
  #remaining: number

  constructor(limit: number) {
    this.#remaining = limit
  }

  /** A stats accumulator for the leaf at `path`, or undefined past the limit. */
  allocate(path: readonly string[], type: DataType): ColumnStats | undefined {
    if (this.#remaining <= 0) return undefined
    this.#remaining--
    const stats = new ColumnStats(type)
    this.columns.push({ path, stats })
    return stats
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (value instanceof Uint8Array) return `Uint8Array(${value.length})`
  if (value instanceof Map) return 'Map'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)
  if (typeof value === 'bigint') return `${value}n`
  return typeof value === 'object' ? 'object' : `${typeof value} ${String(value)}`
}

function invalid(column: string, expected: string, value: unknown): ParquetError {
  return new ParquetError(`column '${column}': expected ${expected}, found ${describe(value)}`, { context: { column } })
}

type Converter = (value: Value, column: string) => StatValue | boolean | Uint8Array

function integerConverter(name: 'byte' | 'short' | 'integer'): Converter {
  const [min, max] = INT_RANGES[name]
  return (v, c) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw invalid(c, `${name} (integer in ${min}..${max})`, v)
    return v
  }
}

function timestampConverter(name: 'timestamp' | 'timestamp_ntz'): Converter {
  const utc = name === 'timestamp'
  const shape = utc ? "'YYYY-MM-DDTHH:MM:SS.ffffffZ'" : "'YYYY-MM-DDTHH:MM:SS.ffffff' (no zone)"
  return (v, c) => {
    const micros = typeof v === 'string' ? parseTimestamp(v, utc) : undefined
    if (micros === undefined) throw invalid(c, `${name} string ${shape}`, v)
    return micros
  }
}

/** A converter that returns the value unchanged when `accept` holds. */
function checked(expected: string, accept: (v: Value) => boolean): Converter {
  return (v, c) => {
    if (!accept(v)) throw invalid(c, expected, v)
    return v as StatValue | boolean | Uint8Array
  }
}

function primitiveConverter(name: Exclude<PrimitiveName, 'void'>): Converter {
  switch (name) {
    case 'byte':
    case 'short':
    case 'integer':
      return integerConverter(name)
    case 'long':
      return checked('long (bigint in int64 range)', v => typeof v === 'bigint' && v >= LONG_MIN && v <= LONG_MAX)
    case 'float':
      return (v, c) => {
        if (typeof v !== 'number') throw invalid(c, 'float (number)', v)
        return Math.fround(v)
      }
    case 'double':
      return checked('double (number)', v => typeof v === 'number')
    case 'boolean':
      return checked('boolean', v => typeof v === 'boolean')
    case 'string':
      return checked('string', v => typeof v === 'string')
    case 'binary':
      return checked('binary (Uint8Array)', v => v instanceof Uint8Array)
    case 'date':
      return (v, c) => {
        const days = typeof v === 'string' ? parseDate(v) : undefined
        if (days === undefined) throw invalid(c, "date string 'YYYY-MM-DD'", v)
        return days
      }
    case 'timestamp':
    case 'timestamp_ntz':
      return timestampConverter(name)
  }
}

function decimalConverter(type: DecimalType): Converter {
  const expected = `decimal(${type.precision},${type.scale}) string`
  return (v, c) => {
    const unscaled = typeof v === 'string' ? parseDecimal(v, type.precision, type.scale) : undefined
    if (unscaled === undefined) throw invalid(c, expected, v)
    return unscaled
  }
}

function isStructValue(value: Value): value is { readonly [key: string]: Value } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Map) && !(value instanceof Uint8Array)
}

interface Built {
  readonly encode: (value: Value) => unknown
  /** Stats columns under this node that count a null when the node itself is null. */
  readonly nested: readonly ColumnStats[]
}

function buildStruct(fields: readonly StructField[], path: readonly string[], stats?: StatsAllocator): Built {
  const children = fields
    .filter(f => isStored(f.type))
    .map(f => ({ name: f.name, encoder: buildEncoder(f.type, f.nullable, [...path, f.name], stats) }))
  const nested = children.flatMap(child => child.encoder.stats)
  const column = path.join('.')
  return {
    nested,
    encode: value => {
      if (!isStructValue(value)) throw invalid(column, 'struct (plain object)', value)
      const out: Record<string, unknown> = {}
      for (const { name, encoder } of children) setField(out, name, encoder.encode(value[name]))
      return out
    },
  }
}

function buildInner(type: DataType, path: readonly string[], stats?: StatsAllocator): Built {
  const column = path.join('.')
  switch (type.kind) {
    case 'struct':
      return buildStruct(type.fields, path, stats)
    case 'array': {
      const element = buildEncoder(type.elementType, type.containsNull, [...path, 'element'])
      return {
        nested: [],
        encode: value => {
          if (!Array.isArray(value)) throw invalid(column, 'array', value)
          return (value as readonly Value[]).map(item => element.encode(item))
        },
      }
    }
    case 'map': {
      const key = buildEncoder(type.keyType, false, [...path, 'key'])
      const item = buildEncoder(type.valueType, type.valueContainsNull, [...path, 'value'])
      return {
        nested: [],
        encode: value => {
          if (!(value instanceof Map)) throw invalid(column, 'map (Map)', value)
          return Array.from(value as ReadonlyMap<Value, Value>, ([k, v]) => ({ key: key.encode(k), value: item.encode(v) }))
        },
      }
    }
    case 'decimal':
    case 'primitive': {
      if (type.kind === 'primitive' && type.name === 'void') throw new ParquetError(`column '${column}': void is never stored`)
      const convert = type.kind === 'decimal' ? decimalConverter(type) : primitiveConverter(type.name as Exclude<PrimitiveName, 'void'>)
      return { nested: [], encode: value => convert(value, column) }
    }
  }
}

/** An encoder with its null handling; `stats` lists the stats columns it feeds (for parents' nulls). */
export interface FieldEncoder {
  readonly encode: (value: Value | undefined) => unknown
  readonly stats: readonly ColumnStats[]
}

/**
 * Build the encoder of a value of `type` at `path`. With a `stats` allocator the field (and nested struct
 * fields) take stats columns; elements of arrays and maps never do.
 */
export function buildEncoder(type: DataType, nullable: boolean, path: readonly string[], stats?: StatsAllocator): FieldEncoder {
  const own = stats && type.kind !== 'struct' ? stats.allocate(path, type) : undefined
  const inner = buildInner(type, path, type.kind === 'struct' ? stats : undefined)
  const all = own ? [own] : inner.nested
  const column = path.join('.')
  const isString = type.kind === 'primitive' && type.name === 'string'

  return {
    stats: all,
    encode: value => {
      if (value === null || value === undefined) {
        if (!nullable) throw new ParquetError(`column '${column}': expected a non-null value, found ${String(value)}`, { context: { column } })
        for (const s of all) s.addNull()
        return null
      }
      const out = inner.encode(value)
      if (own && (typeof out === 'number' || typeof out === 'bigint' || typeof out === 'string')) own.add(out)
      // Strings go to hyparquet-writer as UTF-8 bytes: Buffer.from (pooled) is ~2x faster than the
      // TextEncoder.encode it would call per value, and the file bytes are the same.
      return isString ? Buffer.from(out as string) : out
    },
  }
}
