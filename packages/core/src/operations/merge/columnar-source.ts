// The MERGE source held as columns (docs/row-level-plan.md §5.7), for the columnar upsert executor: one
// Arrow column per table column, in the table's order and Arrow types. An Arrow source whose columns
// already have those types is used as it is (no copy); any other source (rows, or Arrow data of other
// types) is transposed once into the table's column builders, each value coerced by the same compiled
// coercers the row route types the source with. Undefined when the source cannot be held so (a column
// the table lacks, a value the coercers refuse, ...): the MERGE then takes the row route, which reports
// any error exactly as before. A string key holding a lone UTF-16 surrogate is handed to the row route too:
// held as UTF-8 it would read as U+FFFD and match target rows the row route (comparing JS strings) does not.

import type { ArrowColumn, BatchBuilder, StructType } from '@lake/parquet'
import { batchBuilderFor, columnBytes, hasCanonicalType } from '../../arrow-values.js'
import { createRowCoercer } from '../../rows/coerce-rows.js'
import { coerceNullable, compileCoercer, isPlainObject } from '../../rows/compile-coercer.js'
import { formatType } from '../../schema/format-type.js'
import type { CollectedSource } from './source-hash.js'
import { LONE_SURROGATE, transposeByColumn } from './source-transpose.js'

/** The source as columns of the table's schema. */
export interface SourceColumns {
  readonly length: number
  /** Per table column (schema order): the column, in chunks (an Arrow source's batches). */
  readonly columns: readonly (readonly ArrowColumn[])[]
  /** Bytes of the columns' buffers. */
  readonly bytes: number
}

function fieldIndex(table: StructType, name: string): number {
  const exact = table.fields.findIndex((f) => f.name === name)
  if (exact >= 0) return exact
  const lower = name.toLowerCase()
  return table.fields.findIndex((f) => f.name.toLowerCase() === lower)
}

/**
 * Per source field, the table column it fills; undefined unless the source's columns are exactly the
 * table's (by name, case-insensitive, one each): extra or missing columns take the row route.
 */
function columnSlots(table: StructType, source: StructType): number[] | undefined {
  const slots = source.fields.map((f) => fieldIndex(table, f.name))
  const filled = new Set(slots)
  return slots.length === table.fields.length && filled.size === slots.length && !filled.has(-1) ? slots : undefined
}

const sum = (columns: readonly (readonly ArrowColumn[])[]): number => columns.reduce((n, chunks) => chunks.reduce((m, c) => m + columnBytes(c), n), 0)

/** An Arrow source's own columns, when each already has the table column's Arrow type. */
function arrowColumns(table: StructType, collected: CollectedSource, slots: readonly number[]): SourceColumns | undefined {
  const batches = collected.arrow ?? []
  const columns: ArrowColumn[][] = table.fields.map(() => [])
  for (const batch of batches) {
    for (const [j, slot] of slots.entries()) {
      const column = batch.data.children[j]
      const field = table.fields[slot]
      if (column === undefined || field === undefined || !hasCanonicalType(column, field.type)) return undefined
      columns[slot]?.push(column)
    }
  }
  const length = batches.reduce((n, b) => n + b.numRows, 0)
  if (length === 0) return undefined
  return { length, columns, bytes: sum(columns) }
}

/** Appends one source row's values to the builder, coerced per field (the row coercer for rows not in field order). */
type Transposer = (row: unknown, index: number) => void

/** Throws on a string key value holding a lone surrogate (the caller hands the source to the row route). */
function wellFormedKeys(names: readonly string[], slots: readonly number[], keySlots: readonly number[]): (row: Readonly<Record<string, unknown>>) => void {
  const keyNames = names.filter((_n, k) => keySlots.includes(slots[k] as number))
  return (row) => {
    for (const name of keyNames) {
      const v = row[name]
      if (typeof v === 'string' && LONE_SURROGATE.test(v)) throw new TypeError('a lone surrogate in a key')
    }
  }
}

function transposer(builder: BatchBuilder, source: StructType, slots: readonly number[], keySlots: readonly number[]): Transposer {
  const names = source.fields.map((f) => f.name)
  const coercers = source.fields.map((f) => coerceNullable(compileCoercer(f.type, f.name), true, formatType(f.type), f.name))
  const coerceRow = createRowCoercer(source)
  const checkKeys = wellFormedKeys(names, slots, keySlots)
  return (row, index) => {
    if (!isPlainObject(row)) throw new TypeError('not a row')
    checkKeys(row)
    let matched = 0
    for (const key in row) {
      if (matched === names.length || key !== names[matched]) {
        matched = -1
        break
      }
      matched++
    }
    if (matched >= 0) {
      for (let k = 0; k < names.length; k++) builder.appendValue(slots[k] as number, (coercers[k] as (typeof coercers)[number])(k < matched ? row[names[k] as string] : undefined, index))
    } else {
      const typed = coerceRow(row, index)
      for (let k = 0; k < names.length; k++) builder.appendValue(slots[k] as number, typed[names[k] as string] ?? null)
    }
    builder.endRow()
  }
}

/** True when the source's rows all have exactly the source's field names as their own keys, in order. */
function ofOneShape(source: StructType, shape: readonly string[] | undefined): boolean {
  return shape !== undefined && shape.length === source.fields.length && source.fields.every((f, k) => f.name === shape[k])
}

/**
 * Rows transposed into the table's column builders (column by column when they have one shape);
 * undefined when a row does not coerce (the row route reports it).
 */
function transposedColumns(table: StructType, source: StructType, collected: CollectedSource, slots: readonly number[], keySlots: readonly number[]): SourceColumns | undefined {
  const rows = collected.rows
  const builder = batchBuilderFor(table, rows.length)
  if (builder === undefined || rows.length === 0) return undefined
  try {
    if (ofOneShape(source, collected.shape)) transposeByColumn(builder, rows, source, slots, keySlots)
    else rows.forEach(transposer(builder, source, slots, keySlots))
  } catch {
    return undefined
  }
  const columns = builder.finish().data.children.map((c) => [c])
  return { length: rows.length, columns, bytes: sum(columns) }
}

/**
 * The source as columns of `table` (the table's schema; the source typed as `source` by source-schema.ts),
 * or undefined when the columnar executor cannot hold it (then the row route runs).
 * @param keySlots the table columns holding the join's source keys
 */
export function sourceColumns(table: StructType, source: StructType, collected: CollectedSource, keySlots: readonly number[]): SourceColumns | undefined {
  const slots = columnSlots(table, source)
  if (slots === undefined) return undefined
  if (collected.arrow !== undefined) {
    const own = arrowColumns(table, collected, slots)
    if (own !== undefined) return own
  }
  try {
    return transposedColumns(table, source, collected, slots, keySlots)
  } catch {
    return undefined
  }
}
