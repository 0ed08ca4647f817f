// Typed partition values of one file: the log's serialized strings parsed per column type.
// Empty string and null both mean SQL NULL (PROTOCOL.md#Partition Value Serialization).

import { setField } from '../parquet-values.js'
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
 * The typed partition values of a file as a row keyed by logical column name. An explicit null (or
 * '') is SQL NULL; a column missing from `partitionValues` is a corrupt log (PROTOCOL.md#Add File
 * and Remove File: the map holds every partition column). `file` names the data file in messages.
 * @throws PartitionValueError (`CorruptLog`) when a value is missing (`context.path`,
 * `context.column`) or does not parse.
 */
export function parsePartitionValues(
  partitionValues: Readonly<Record<string, string | null>>,
  columns: readonly PartitionColumn[],
  file?: string,
): Row {
  checkPartitionValues(partitionValues, columns, file)
  const row: Record<string, Value> = Object.create(null) as Record<string, Value>
  for (const c of columns) {
    setField(row, c.name, parsePartitionValue(partitionValues[c.physicalName], c.type, c.name))
  }
  return row
}

/**
 * Checks that `partitionValues` has an entry (possibly null) for every partition column.
 * @throws PartitionValueError (`CorruptLog`) naming the file, the column and the keys found.
 */
export function checkPartitionValues(partitionValues: Readonly<Record<string, string | null>>, columns: readonly PartitionColumn[], file?: string): void {
  for (const c of columns) {
    if (Object.hasOwn(partitionValues, c.physicalName)) continue
    const found = Object.keys(partitionValues)
    const column = c.name === c.physicalName ? `'${c.name}'` : `'${c.name}' (physical name '${c.physicalName}')`
    throw new PartitionValueError(
      `add action${file === undefined ? '' : ` of file '${file}'`} has no partition value for column ${column}: expected the key in partitionValues (null for a NULL value), found ${found.length === 0 ? 'no keys' : `keys ${found.map((k) => `'${k}'`).join(', ')}`}`,
      { context: { column: c.name, ...(file === undefined ? {} : { path: file }) } },
    )
  }
}
