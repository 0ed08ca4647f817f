// Which incoming types may be written into an existing column under mergeSchema: the table's type
// is always kept and each value is then checked by the row coercer. Pure.

import { containsPrimitive } from '../parquet-values.js'
import type { DataType } from '@lake/parquet'
import { formatType } from './format-type.js'

const NUMERIC = new Set(['byte', 'short', 'integer', 'long', 'float', 'double', 'decimal'])
const FROM_STRING = new Set(['string', 'long', 'decimal', 'date', 'timestamp', 'timestamp_ntz'])
const FROM_TIMESTAMP = new Set(['date', 'timestamp', 'timestamp_ntz'])
const FROM_LONG = new Set(['timestamp', 'timestamp_ntz'])

/**
 * True when values of the atomic type `incoming` may be offered to a column of atomic type
 * `table` (the conversion of each value is then checked, never lossy):
 * - identical types, or `void` (only nulls) incoming;
 * - numeric into numeric (byte, short, integer, long, float, double, decimal);
 * - string into string, long, decimal, date, timestamp, timestamp_ntz (parsed per value);
 * - timestamp (a JS `Date`) into date, timestamp, timestamp_ntz;
 * - long (a bigint of microseconds) into timestamp, timestamp_ntz.
 * Everything else (e.g. boolean into long, binary into string, timestamp into timestamp_ntz strings) is not.
 */
export function isAssignable(table: DataType, incoming: DataType): boolean {
  const t = atomicName(table)
  const i = atomicName(incoming)
  if (t === undefined || i === undefined) return false
  if (i === 'void' || formatType(table) === formatType(incoming)) return true
  if (NUMERIC.has(t) && NUMERIC.has(i)) return true
  if (i === 'string') return FROM_STRING.has(t)
  if (i === 'timestamp') return FROM_TIMESTAMP.has(t)
  if (i === 'long') return FROM_LONG.has(t)
  return false
}

/** The name of a primitive or decimal type; undefined for nested types. */
export function atomicName(type: DataType): string | undefined {
  if (type.kind === 'primitive') return type.name
  return type.kind === 'decimal' ? 'decimal' : undefined
}

/** True when `type` is `void` or contains a `void` anywhere (a type that could not be inferred). */
export function containsVoid(type: DataType): boolean {
  return containsPrimitive(type, (name) => name === 'void')
}
