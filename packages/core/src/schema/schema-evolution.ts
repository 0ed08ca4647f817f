// mergeSchema (Spark `SchemaMergingUtils` rules as lake applies them): adds new columns and nested
// fields, keeps every existing type and casing, rejects incompatible types. Pure.

import type { DataType, MapType, StructField, StructType } from '@lake/parquet'
import { SchemaError } from '../errors.js'
import { formatType } from './format-type.js'
import { containsVoid, isAssignable } from './type-assignability.js'

/** The merged schema and whether it differs from the table's. */
export interface MergedSchema {
  readonly schema: StructType
  readonly changed: boolean
}

/**
 * Merges an incoming schema (e.g. `inferSchema(rows)`) into the table's schema.
 *
 * - Names match case-insensitively; the table's field (name casing, nullability, metadata) is kept.
 * - New top-level columns and new nested struct fields (also inside array elements and map
 *   values) are appended at the end, as nullable.
 * - Existing types are always kept: lake does not implement type widening, so a table column is
 *   never changed to a wider type. An incoming atomic type is accepted when it is assignable
 *   (`isAssignable`: e.g. long into integer or decimal, string into date); each value is then
 *   checked by `coerceRows`, which rejects lossy values. A `void` table column takes the incoming type.
 * - A plain-object struct is accepted for a `map<string, V>` column when its fields fit `V`; a map
 *   with any other key type (long, date, ...) refuses it: field names are strings.
 * - Anything else (struct vs atomic, array vs map, string into boolean, ...) is a `SchemaError`.
 *
 * @throws SchemaError `SchemaMismatch` naming the column (dotted path), the table type and the incoming type.
 */
export function mergeSchemas(table: StructType, incoming: StructType): MergedSchema {
  return mergeStruct(table, incoming, '')
}

function mergeStruct(table: StructType, incoming: StructType, path: string): { schema: StructType; changed: boolean } {
  const byName = new Map<string, StructField>()
  for (const f of incoming.fields) {
    const key = f.name.toLowerCase()
    if (byName.has(key)) throw mismatch(join(path, f.name), `incoming schema has two fields named '${f.name}' (case-insensitively)`)
    byName.set(key, f)
  }
  let changed = false
  const fields: StructField[] = table.fields.map((tf) => {
    const inf = byName.get(tf.name.toLowerCase())
    if (inf === undefined) return tf
    byName.delete(tf.name.toLowerCase())
    const merged = mergeType(tf.type, inf.type, join(path, tf.name))
    changed ||= merged.changed
    return merged.changed ? { ...tf, type: merged.type } : tf
  })
  for (const added of byName.values()) {
    const at = join(path, added.name)
    if (containsVoid(added.type)) throw mismatch(at, `new column '${at}' holds only nulls, so its type cannot be inferred; pass a schema`)
    fields.push({ ...added, nullable: true })
    changed = true
  }
  return { schema: changed ? { kind: 'struct', fields } : table, changed }
}

function mergeType(table: DataType, incoming: DataType, path: string): { type: DataType; changed: boolean } {
  if (table.kind === 'struct' && incoming.kind === 'struct') {
    const merged = mergeStruct(table, incoming, path)
    return { type: merged.schema, changed: merged.changed }
  }
  if (table.kind === 'array' && incoming.kind === 'array') {
    const element = mergeType(table.elementType, incoming.elementType, `${path}.element`)
    return { type: element.changed ? { ...table, elementType: element.type } : table, changed: element.changed }
  }
  if (table.kind === 'map' && incoming.kind === 'map') return mergeMap(table, incoming, path)
  if (table.kind === 'map' && incoming.kind === 'struct') return checkStructIntoMap(table, incoming, path)
  if (table.kind === 'primitive' && table.name === 'void' && incoming.kind !== 'primitive') {
    if (containsVoid(incoming)) throw incompatible(path, table, incoming)
    return { type: incoming, changed: true }
  }
  if (table.kind === 'primitive' && table.name === 'void' && incoming.kind === 'primitive' && incoming.name !== 'void') {
    return { type: incoming, changed: true }
  }
  if (isAssignable(table, incoming)) return { type: table, changed: false }
  throw incompatible(path, table, incoming)
}

function mergeMap(table: MapType, incoming: MapType, path: string): { type: DataType; changed: boolean } {
  const key = mergeType(table.keyType, incoming.keyType, `${path}.key`)
  const value = mergeType(table.valueType, incoming.valueType, `${path}.value`)
  const changed = key.changed || value.changed
  return { type: changed ? { ...table, keyType: key.type, valueType: value.type } : table, changed }
}

function checkStructIntoMap(table: MapType, incoming: StructType, path: string): { type: DataType; changed: boolean } {
  if (table.keyType.kind !== 'primitive' || table.keyType.name !== 'string') throw structIntoNonStringKeys(path, table, incoming)
  for (const f of incoming.fields) {
    const merged = mergeType(table.valueType, f.type, `${path}.value`)
    if (merged.changed) throw incompatible(path, table, incoming)
  }
  return { type: table, changed: false }
}

function incompatible(path: string, table: DataType, incoming: DataType): SchemaError {
  const message =
    `column '${path}' has type ${formatType(table)} in the table; incoming type ${formatType(incoming)} cannot be merged into it` +
    `\nHelp: convert the values to ${formatType(table)}, or rewrite the table with schemaMode 'overwrite'`
  return new SchemaError('SchemaMismatch', message, {
    context: { column: path, expected: formatType(table), found: formatType(incoming) },
  })
}

/** A struct's field names are strings: only a `map<string, V>` can take it (a long or date key cannot hold 'a'). */
function structIntoNonStringKeys(path: string, table: MapType, incoming: StructType): SchemaError {
  const message =
    `column '${path}' has type ${formatType(table)} in the table; incoming type ${formatType(incoming)} is a struct, whose field names ` +
    `are strings: expected a map with string keys, found key type ${formatType(table.keyType)}` +
    `\nHelp: pass the values as a Map with ${formatType(table.keyType)} keys`
  return new SchemaError('SchemaMismatch', message, {
    context: { column: path, expected: formatType(table), found: formatType(incoming) },
  })
}

function mismatch(column: string, message: string): SchemaError {
  return new SchemaError('SchemaMismatch', message, { context: { column } })
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`
}
