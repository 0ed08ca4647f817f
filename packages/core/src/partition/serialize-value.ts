// Delta's text serialization of partition values (PROTOCOL.md#Partition Value Serialization).
// The inverse of parseValueText for every primitive type; nested types have no partition form.

import type { DataType, Value } from '@lake/parquet'
import { toDecimalValue } from './decimal.js'
import { SchemaError } from '../errors.js'
import { PartitionValueError } from './partition-value-error.js'
import { formatTimestamp, formatTimestampNtzPartition, parseTimestampMicros } from './temporal.js'

const PLAIN_DOUBLE_LIMIT = 1e7 // Java's Double.toString switches to exponent notation from here

function mismatch(value: Value, expected: string): PartitionValueError {
  const shown = typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)
  return new PartitionValueError(`cannot serialize partition value: expected ${expected}, found ${shown ?? typeof value}`)
}

function serializeFloat(value: number): string {
  if (Number.isInteger(value) && Math.abs(value) < PLAIN_DOUBLE_LIMIT) return `${value}.0`
  return String(value)
}

function serializeTimestamp(value: string, ntz: boolean): string {
  const parsed = parseTimestampMicros(value)
  if (parsed === undefined) throw mismatch(value, ntz ? 'a timestamp_ntz' : 'a timestamp')
  return ntz ? formatTimestampNtzPartition(parsed.micros) : formatTimestamp(parsed.micros)
}

function serializePrimitive(value: Value, type: DataType & { kind: 'primitive' }): string {
  switch (type.name) {
    case 'string':
    case 'date':
      if (typeof value !== 'string') throw mismatch(value, `a string for ${type.name}`)
      return value
    case 'byte':
    case 'short':
    case 'integer':
      if (!Number.isInteger(value)) throw mismatch(value, `an integer for ${type.name}`)
      return String(value)
    case 'long':
      if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isSafeInteger(value))) {
        throw mismatch(value, 'a bigint for long')
      }
      return value.toString()
    case 'float':
    case 'double':
      if (typeof value !== 'number') throw mismatch(value, `a number for ${type.name}`)
      return serializeFloat(value)
    case 'boolean':
      if (typeof value !== 'boolean') throw mismatch(value, 'a boolean')
      return String(value)
    case 'binary':
      if (!(value instanceof Uint8Array)) throw mismatch(value, 'a Uint8Array for binary')
      return binaryPartitionText(value)
    case 'timestamp':
    case 'timestamp_ntz':
      if (typeof value !== 'string') throw mismatch(value, `a string for ${type.name}`)
      return serializeTimestamp(value, type.name === 'timestamp_ntz')
    case 'void':
      throw mismatch(value, 'null for void')
  }
}

/**
 * Serializes a value for an add action's `partitionValues`: null stays null; timestamps become
 * ISO-8601 UTC with microseconds (`2024-01-31T12:00:00.000000Z`), timestamp_ntz
 * `yyyy-MM-dd HH:mm:ss.ffffff`, decimals keep their scale, binary is its UTF-8 text.
 * @throws PartitionValueError when the value does not fit the type.
 */
export function serializePartitionValue(value: Value, type: DataType): string | null {
  if (value === null) return null
  if (type.kind === 'primitive') return serializePrimitive(value, type)
  if (type.kind === 'decimal') {
    // Stryker disable next-line StringLiteral: any text that is not a decimal fails alike
    const text = typeof value === 'string' || typeof value === 'bigint' || typeof value === 'number' ? String(value) : ''
    const v = toDecimalValue(text, type.precision, type.scale)
    if (v === undefined) throw mismatch(value, `a decimal(${type.precision},${type.scale})`)
    return v
  }
  throw mismatch(value, `a primitive partition column type, found ${type.kind}`)
}

// Stryker disable next-line StringLiteral: '' throws at module load, a suite error Stryker's vitest runner does not count as a kill
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true })

/**
 * A binary partition value as text. Spark writes the bytes decoded as UTF-8; bytes that are not
 * valid UTF-8 would be replaced by U+FFFD and two different values could share a partition, so
 * they are refused instead.
 */
function binaryPartitionText(value: Uint8Array): string {
  try {
    return STRICT_UTF8.decode(value)
  } catch (cause) {
    throw new SchemaError('SchemaMismatch', 'binary partition value is not valid UTF-8: expected bytes that decode as UTF-8 (as Spark stores them), found invalid sequences', { cause })
  }
}
