// Typed partition values of one file: the log's serialized strings parsed per column type.
// Empty string and null both mean SQL NULL (PROTOCOL.md#Partition Value Serialization).

import { setField } from '@lake/parquet'
import type { DataType, Row, Value } from '@lake/parquet'
import { parseValueText } from './parse-value.js'
import { PartitionValueError } from './partition-value-error.js'

/** One partition column: its logical name (row key), physical name (log key) and type. */
export interface PartitionColumn {
  readonly name: string
  readonly physicalName: string
  readonly type: DataType
}

/**
 * Parses one serialized partition value. `null`, `undefined` and `''` are SQL NULL.
 * @throws PartitionValueError (`CorruptLog`) when the text is not a value of `type`.
 */
export function parsePartitionValue(raw: string | null | undefined, type: DataType, column = '?'): Value {
  if (raw === null || raw === undefined || raw === '') return null
  const parsed = parseValueText(raw, type)
  if (!parsed.ok) {
    throw new PartitionValueError(
      `invalid partition value for column '${column}': expected ${parsed.expected}, found '${raw}'`,
      { context: { column, value: raw } },
    )
  }
  return parsed.value
}

/**
 * The typed partition values of a file as a row keyed by logical column name. A column missing from
 * `partitionValues` reads as null.
 * @throws PartitionValueError (`CorruptLog`) when a value does not parse.
 */
export function parsePartitionValues(
  partitionValues: Readonly<Record<string, string | null>>,
  columns: readonly PartitionColumn[],
): Row {
  const row: Record<string, Value> = {}
  for (const c of columns) {
    setField(row, c.name, parsePartitionValue(partitionValues[c.physicalName], c.type, c.name))
  }
  return row
}
