// Applies a job's schema policy to source records: unknown columns evolve the schema, are
// rejected (freeze) or dropped (discard); then rows are coerced to the schema. Pure; no I/O.
// On a column-mapped table an evolved column gets its field id and physical name (`col-<uuid>`) the
// moment it appears, as writeDelta's schemaMode 'merge' assigns them, so its files are encoded with them.

import { assignColumnMapping, createRowCoercer, inferSchema, mergeSchemas } from '@lake/core/internal'
import { isLakeError } from '@lake/storage'
import type { ColumnMappingMode, RowCoercer } from '@lake/core/internal'
import type { Row, StructType } from '@lake/parquet'
import { resolveNumbers } from '../sources/exact-numbers.js'

/** What to do with columns the table does not have. */
export type SchemaPolicy = 'evolve' | 'freeze' | 'discard'

/** The column mapping of the table a coercer evolves: its mode and configuration (`delta.columnMapping.maxColumnId`). */
export interface CoercerMapping {
  readonly mode: ColumnMappingMode
  readonly configuration: Readonly<Record<string, string>>
}

/** A coerced row, or why the record was rejected. */
export type CoerceOutcome =
  | { readonly ok: true; readonly row: Row }
  | { readonly ok: false; readonly code: string; readonly message: string }

/**
 * Coerces records to a schema that may grow under `evolve`. New top-level columns are inferred
 * from the first record holding a non-null value (`inferSchema`) and merged (`mergeSchemas`);
 * a column seen only as null is dropped until a typed value shows up. Nested unknown fields are
 * never evolved: such records are rejected.
 */
export class RecordCoercer {
  #schema: StructType
  #coerce: RowCoercer
  #known = new Set<string>()
  readonly #policy: SchemaPolicy
  readonly #partitionColumns: readonly string[]
  readonly #added: string[] = []
  #mapping: CoercerMapping

  constructor(schema: StructType, partitionColumns: readonly string[], policy: SchemaPolicy, mapping: CoercerMapping = { mode: 'none', configuration: {} }) {
    this.#policy = policy
    this.#partitionColumns = partitionColumns
    this.#schema = schema
    this.#mapping = mapping
    this.#coerce = this.#compile(schema)
  }

  /** The table's configuration with `delta.columnMapping.maxColumnId` past the evolved columns' ids (column-mapped tables). */
  get configuration(): Readonly<Record<string, string>> {
    return this.#mapping.configuration
  }

  /** The current schema (the table's, plus evolved columns). */
  get schema(): StructType {
    return this.#schema
  }

  /** Columns added by evolution so far. */
  get addedColumns(): readonly string[] {
    return this.#added
  }

  /** Coerces one record; `index` is used in messages. */
  coerce(value: unknown, index: number): CoerceOutcome {
    let input = value
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const unknown = this.#unknownKeys(value as Record<string, unknown>)
      if (unknown.length > 0) {
        const handled = this.#handleUnknown(value as Record<string, unknown>, unknown)
        if (!handled.ok) return handled
        input = handled.input
      }
    }
    try {
      // Numbers a double cannot hold (exact-JSON sources) become exact values for their column.
      return { ok: true, row: this.#coerce(resolveNumbers(input, this.#schema, '', { where: ` in record ${index}` }), index) }
    } catch (err) {
      if (isLakeError(err)) return { ok: false, code: err.code, message: err.message }
      throw err
    }
  }

  #unknownKeys(row: Record<string, unknown>): string[] {
    let unknown: string[] | undefined
    for (const key in row) {
      if (!this.#known.has(key) && !this.#known.has(key.toLowerCase())) (unknown ??= []).push(key)
    }
    return unknown ?? []
  }

  #handleUnknown(row: Record<string, unknown>, keys: readonly string[]): { ok: true; input: unknown } | { ok: false; code: string; message: string } {
    if (this.#policy === 'freeze') {
      return { ok: false, code: 'SchemaMismatch', message: `unknown column(s) ${keys.map((k) => `'${k}'`).join(', ')}: expected only table columns (schema policy 'freeze')` }
    }
    const typed = keys.filter((k) => row[k] !== null && row[k] !== undefined)
    if (this.#policy === 'evolve' && typed.length > 0) {
      const incoming: Record<string, unknown> = Object.create(null) as Record<string, unknown>
      for (const k of typed) incoming[k] = row[k]
      try {
        const merged = mergeSchemas(this.#schema, inferSchema([incoming]))
        const { schema, configuration } = assignColumnMapping(merged.schema, this.#mapping.mode, this.#mapping.configuration, this.#schema)
        this.#mapping = { mode: this.#mapping.mode, configuration }
        this.#schema = schema
        this.#coerce = this.#compile(schema)
        this.#added.push(...typed)
      } catch (err) {
        if (isLakeError(err)) return { ok: false, code: err.code, message: err.message }
        throw err
      }
    }
    const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const key in row) if (this.#known.has(key) || this.#known.has(key.toLowerCase())) out[key] = row[key]
    return { ok: true, input: out }
  }

  #compile(schema: StructType): RowCoercer {
    this.#known = new Set(schema.fields.flatMap((f) => [f.name, f.name.toLowerCase()]))
    return createRowCoercer(schema, { partitionColumns: this.#partitionColumns })
  }
}
