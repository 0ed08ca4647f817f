// The schema a MERGE source is typed with (docs/row-level-plan.md §5.1): its own columns, each typed
// as the target's column of the same name where there is one (so keys and values compare and store as
// the target's). Values of a column the target types as an atomic column are checked by the row
// coercer, so only the other columns (new ones, nested types that schemaMode 'merge' may evolve, void
// table columns) are inferred from the rows: inferring every column cost more than the whole target pass.

import type { Row, StructField, StructType } from '@lake/parquet'
import { SchemaError } from '../../errors.js'
import { createRowCoercer } from '../../rows/coerce-rows.js'
import { isPlainObject } from '../../rows/compile-coercer.js'
import { describeValue } from '../../rows/describe-value.js'
import { inferSchema } from '../../rows/infer-schema.js'
import { mergeSchemas } from '../../schema/schema-evolution.js'
import type { CollectedSource } from './source-hash.js'

function fieldIn(schema: StructType, name: string): StructField | undefined {
  const lower = name.toLowerCase()
  return schema.fields.find((f) => f.name === name) ?? schema.fields.find((f) => f.name.toLowerCase() === lower)
}

/** The target's field of a source column when it types the column outright: atomic and not void. */
function atomicTargetField(target: StructType, name: string): StructField | undefined {
  const field = fieldIn(target, name)
  if (field === undefined || field.type.kind === 'struct' || field.type.kind === 'array' || field.type.kind === 'map') return undefined
  return field.type.kind === 'primitive' && field.type.name === 'void' ? undefined : field
}

/**
 * The column names of `rows` in first-seen order, one per case-insensitive name (first casing kept).
 * @throws SchemaError `SchemaMismatch` for a row that is not a plain object (as `inferSchema`).
 */
function columnNames(rows: readonly unknown[], shape: readonly string[] | undefined): string[] {
  const seen = new Set<string>()
  const folded = new Set<string>()
  const names: string[] = []
  // Rows of one shape (source-shape.ts): plain objects with exactly these own keys, so one row's keys are every row's.
  const scanned = shape === undefined ? rows : rows.slice(0, 1)
  scanned.forEach((row, index) => {
    if (!isPlainObject(row)) {
      throw new SchemaError('SchemaMismatch', `row ${index} must be a plain object of columns, found ${describeValue(row)}`, { context: { row: index } })
    }
    for (const key in row) {
      if (seen.has(key) || !Object.hasOwn(row, key)) continue
      seen.add(key)
      const lower = key.toLowerCase()
      if (folded.has(lower)) continue
      folded.add(lower)
      names.push(key)
    }
  })
  return names
}

/** `rows` cut down to the keys whose lower-case form is in `folded` (null-prototype objects: keys are data). */
function pick(rows: readonly unknown[], folded: ReadonlySet<string>): Record<string, unknown>[] {
  return rows.map((row) => {
    const out = Object.create(null) as Record<string, unknown>
    for (const [key, value] of Object.entries(row as Readonly<Record<string, unknown>>)) if (folded.has(key.toLowerCase())) out[key] = value
    return out
  })
}

/**
 * The schema of JS row objects: columns the target types as atomic columns take the target's type,
 * the others are inferred from their values.
 * @throws SchemaError `SchemaMismatch` (a row that is not an object, a column of two types, a value of no Delta type).
 */
function rowsSchema(target: StructType, rows: readonly unknown[], shape: readonly string[] | undefined): StructType {
  const names = columnNames(rows, shape)
  const untyped = new Set(names.filter((n) => atomicTargetField(target, n) === undefined).map((n) => n.toLowerCase()))
  const inferred = untyped.size === 0 ? [] : inferSchema(pick(rows, untyped)).fields
  const fields = names.map((name): StructField => {
    const typed = atomicTargetField(target, name)
    const lower = name.toLowerCase()
    const own = typed === undefined ? inferred.find((f) => f.name.toLowerCase() === lower) : undefined
    return { name, type: typed?.type ?? own?.type ?? { kind: 'primitive', name: 'void' }, nullable: true, metadata: {} }
  })
  return { kind: 'struct', fields }
}

/**
 * The source's schema: its own columns (typed from the rows, or the scan's), typed as the target's
 * column of the same name where there is one (nested types merged: schemaMode 'merge' may add fields).
 * An empty source without a schema has the target's columns.
 * @throws SchemaError `SchemaMismatch` when a source column cannot be stored in the target's column.
 */
export function sourceSchema(target: StructType, collected: CollectedSource): StructType {
  if (collected.schema === undefined && collected.rows.length === 0) return { kind: 'struct', fields: target.fields.map((f) => ({ ...f, nullable: true })) }
  const own = collected.schema ?? rowsSchema(target, collected.rows, collected.shape)
  const fields = own.fields.map((f): StructField => {
    const tf = fieldIn(target, f.name)
    if (tf === undefined || f.type.kind === 'primitive' && f.type.name === 'void') return { ...f, type: tf?.type ?? f.type, nullable: true }
    const merged = mergeSchemas({ kind: 'struct', fields: [tf] }, { kind: 'struct', fields: [{ ...f, name: tf.name }] })
    return { ...f, type: merged.schema.fields[0]?.type ?? tf.type, nullable: true }
  })
  return { kind: 'struct', fields }
}

/** The source rows typed by `schema` (canonical values, logical names). @throws SchemaError `SchemaMismatch`. */
export function typedSourceRows(collected: CollectedSource, schema: StructType): Row[] {
  const coerce = createRowCoercer(schema)
  return collected.rows.map((row, i) => coerce(row, i))
}
