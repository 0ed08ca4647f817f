// Raw Parquet leaf values (as hyparquet decodes them with all annotations stripped) -> exact `Value`s,
// chosen from the Delta type and the column's original annotations. Also legal Delta type widenings.

import type { SchemaElement } from 'hyparquet'
import { bigintFromBytes, formatDecimal } from './decimal.js'
import { ParquetError } from './errors.js'
import { floorDiv, formatDate, formatTimestamp } from './temporal.js'
import type { DataType, DecimalType, PrimitiveName, Value } from './types.js'

/** Converts one non-null raw value of a leaf column; `many`, when present, converts a page's raw values at once. */
export interface LeafDecoder {
  (raw: unknown): Value
  readonly many?: (raw: ArrayLike<unknown>) => Value[]
}

const MICROS_PER_DAY = 86_400_000_000n // microseconds in one day
const UINT32_OFFSET = 4294967296 // 2^32
const utf8 = new TextDecoder()

function describeElement(element: SchemaElement): string {
  const annotations = [element.converted_type, element.logical_type?.type].filter(a => a !== undefined)
  return `${element.type ?? 'group'}${annotations.length ? ` (${[...new Set(annotations)].join(', ')})` : ''}`
}

/** The error for a column whose Parquet type cannot hold its Delta type. */
export function mismatch(column: string, expected: string, element: SchemaElement): ParquetError {
  return new ParquetError(`column '${column}': expected Parquet storage for Delta type ${expected}, found ${describeElement(element)}`, {
    context: { column },
  })
}

export function badValue(column: string, expected: string, raw: unknown): ParquetError {
  return new ParquetError(`column '${column}': expected ${expected} in the file, found ${typeof raw} ${String(raw)}`, { context: { column } })
}

function isUnsigned(element: SchemaElement): boolean {
  const logical = element.logical_type
  return element.converted_type?.startsWith('UINT_') === true || (logical?.type === 'INTEGER' && !logical.isSigned)
}

export function int32(column: string, element: SchemaElement): (raw: unknown) => number {
  const unsigned = isUnsigned(element)
  return raw => {
    if (typeof raw !== 'number') throw badValue(column, 'INT32 number', raw)
    return unsigned && raw < 0 ? raw + UINT32_OFFSET : raw
  }
}

function int64(column: string): (raw: unknown) => bigint {
  return raw => {
    if (typeof raw !== 'bigint') throw badValue(column, 'INT64 bigint', raw)
    return raw
  }
}

function bytes(column: string): (raw: unknown) => Uint8Array {
  return raw => {
    if (!(raw instanceof Uint8Array)) throw badValue(column, 'byte array', raw)
    return raw
  }
}

function integerDecoder(column: string, element: SchemaElement): (raw: unknown) => number {
  if (element.type === 'INT32') return int32(column, element)
  const read = int64(column)
  return raw => Number(read(raw))
}

/** Microseconds since the epoch from an INT64 timestamp (any unit), INT96, or a DATE (date -> timestamp_ntz). */
function timestampMicros(column: string, element: SchemaElement): (raw: unknown) => bigint {
  if (element.type === 'INT96') return raw => floorDiv(int64(column)(raw), 1000n)
  if (element.type === 'INT32') {
    const read = int32(column, element)
    return raw => BigInt(read(raw)) * MICROS_PER_DAY
  }
  const logical = element.logical_type
  const unit = logical?.type === 'TIMESTAMP' ? logical.unit : element.converted_type === 'TIMESTAMP_MILLIS' ? 'MILLIS' : 'MICROS'
  const read = int64(column)
  if (unit === 'MILLIS') return raw => read(raw) * 1000n
  if (unit === 'NANOS') return raw => floorDiv(read(raw), 1000n)
  return read
}

function floatDecoder(column: string, narrow: boolean): LeafDecoder {
  return raw => {
    if (typeof raw !== 'number') throw badValue(column, 'number', raw)
    return narrow ? Math.fround(raw) : raw
  }
}

/** Decoder of a primitive; `accepts` has already checked the physical type and annotation. */
function primitiveDecoder(name: Exclude<PrimitiveName, 'void'>, column: string, element: SchemaElement): LeafDecoder {
  switch (name) {
    case 'byte':
    case 'short':
    case 'integer':
      return integerDecoder(column, element)
    case 'long': {
      if (element.type === 'INT64') return int64(column)
      const read = int32(column, element)
      return raw => BigInt(read(raw))
    }
    case 'float':
    case 'double':
      return floatDecoder(column, name === 'float' && element.type !== 'FLOAT')
    case 'boolean':
      return raw => {
        if (typeof raw !== 'boolean') throw badValue(column, 'boolean', raw)
        return raw
      }
    case 'string': {
      const read = bytes(column)
      return raw => utf8.decode(read(raw))
    }
    case 'binary': {
      const read = bytes(column)
      // Copy: hyparquet's arrays are views into page buffers and dictionary entries shared across rows.
      return raw => read(raw).slice()
    }
    case 'date': {
      const read = int32(column, element)
      return raw => formatDate(read(raw))
    }
    case 'timestamp':
    case 'timestamp_ntz': {
      const micros = timestampMicros(column, element)
      const utc = name === 'timestamp'
      return raw => formatTimestamp(micros(raw), utc)
    }
  }
}

function fileDecimalScale(element: SchemaElement): number {
  const logical = element.logical_type
  if (logical?.type === 'DECIMAL') return logical.scale
  return element.converted_type === 'DECIMAL' ? element.scale ?? 0 : 0
}

function decimalDecoder(type: DecimalType, column: string, element: SchemaElement): LeafDecoder {
  const expected = `decimal(${type.precision},${type.scale})`
  let unscaled: (raw: unknown) => bigint
  if (element.type === 'INT32') {
    const read = int32(column, element)
    unscaled = raw => BigInt(read(raw))
  } else if (element.type === 'INT64') {
    unscaled = int64(column)
  } else if (element.type === 'BYTE_ARRAY' || element.type === 'FIXED_LEN_BYTE_ARRAY') {
    const read = bytes(column)
    unscaled = raw => bigintFromBytes(read(raw))
  } else {
    throw mismatch(column, expected, element)
  }
  const shift = type.scale - fileDecimalScale(element)
  if (shift < 0) throw mismatch(column, expected, element)
  const factor = 10n ** BigInt(shift)
  return raw => formatDecimal(unscaled(raw) * factor, type.scale)
}

type Annotation = 'none' | 'int' | 'decimal' | 'date' | 'timestamp' | 'string' | 'other'

function annotationOf(element: SchemaElement): Annotation {
  const logical = element.logical_type?.type
  const converted = element.converted_type
  if (logical === 'DECIMAL' || converted === 'DECIMAL') return 'decimal'
  if (logical === 'DATE' || converted === 'DATE') return 'date'
  if (logical === 'TIMESTAMP' || converted === 'TIMESTAMP_MILLIS' || converted === 'TIMESTAMP_MICROS') return 'timestamp'
  if (logical === 'INTEGER' || converted?.startsWith('INT_') || converted?.startsWith('UINT_')) return 'int'
  if (logical === 'STRING' || logical === 'ENUM' || logical === 'JSON' || converted === 'UTF8' || converted === 'ENUM' || converted === 'JSON') {
    return 'string'
  }
  return logical === undefined && converted === undefined ? 'none' : 'other'
}

/** Physical types and annotations that may hold each Delta type (incl. Delta type widening on read). */
function accepts(type: DataType, element: SchemaElement): boolean {
  const physical = element.type
  const annotation = annotationOf(element)
  const integral = (physical === 'INT32' || physical === 'INT64') && (annotation === 'none' || annotation === 'int')
  const bytesLike = physical === 'BYTE_ARRAY' || physical === 'FIXED_LEN_BYTE_ARRAY'
  if (type.kind === 'decimal') return integral || (annotation === 'decimal' && physical !== 'INT96')
  if (type.kind !== 'primitive') return false
  switch (type.name) {
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      return integral
    case 'float':
    case 'double':
      return ((physical === 'FLOAT' || physical === 'DOUBLE') && annotation === 'none') || (integral && physical === 'INT32')
    case 'boolean':
      return physical === 'BOOLEAN'
    case 'string':
      return bytesLike && (annotation === 'none' || annotation === 'string')
    case 'binary':
      return bytesLike && annotation !== 'decimal'
    case 'date':
      return physical === 'INT32' && annotation === 'date'
    case 'timestamp':
    case 'timestamp_ntz':
      return physical === 'INT96' || (physical === 'INT64' && (annotation === 'timestamp' || annotation === 'none')) ||
        (type.name === 'timestamp_ntz' && physical === 'INT32' && annotation === 'date')
    default:
      return false
  }
}

/**
 * The decoder of a leaf column holding a Delta `type`, or a ParquetError naming the column when the
 * Parquet physical type or annotation cannot hold it.
 */
export function leafDecoder(type: DataType, column: string, element: SchemaElement): LeafDecoder {
  if (!accepts(type, element)) {
    const name = type.kind === 'decimal' ? `decimal(${type.precision},${type.scale})` : type.kind === 'primitive' ? type.name : type.kind
    throw mismatch(column, name, element)
  }
  if (type.kind === 'decimal') return decimalDecoder(type, column, element)
  if (type.kind !== 'primitive' || type.name === 'void') throw mismatch(column, type.kind, element)
  return primitiveDecoder(type.name, column, element)
}
