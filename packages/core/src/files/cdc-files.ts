// Writes change data files (PROTOCOL.md#Change Data Files): rows of the change data feed, fed one by one
// with their `_change_type`, grouped by partition and rolled at a target size into
// `_change_data/<partition path>/cdc-00000-<uuid>.c000.<compression>.parquet`. Data columns use physical
// names (column mapping), partition columns go to `partitionValues`. Never commits.

import { randomUUID } from 'node:crypto'
import type { Compression, Row, StructField, StructType, Value } from '@lake/parquet'
import { decodeFilePath, encodeFilePath } from '../actions/file-path.js'
import type { AddCDCFile } from '../actions/types.js'
import { engineCodec } from '../engine.js'
import { InvalidArgumentError } from '../errors.js'
import type { Engine } from '../engine.js'
import { setField } from '../parquet-values.js'
import { partitionDirectory, serializePartitionValue } from '../partition/index.js'
import { physicalName } from '../schema/column-mapping.js'
import type { ColumnMappingMode } from '../schema/column-mapping.js'
import { physicalLayout } from '../schema/physical-rows.js'
import { estimateBytes } from './estimate-bytes.js'
import { DEFAULT_TARGET_FILE_BYTES, positiveInteger } from './write-data-files.js'

/** The change types of the change data feed (PROTOCOL.md#Change Data Files, `_change_type`). */
export type ChangeType = 'insert' | 'delete' | 'update_preimage' | 'update_postimage'

/** The column every change data file carries besides the data columns. */
export const CHANGE_TYPE_COLUMN = '_change_type'
/** The folder of change data files under the table root. */
export const CHANGE_DATA_DIR = '_change_data'

/** Options of `ChangeDataWriter`. */
export interface ChangeDataWriterOptions {
  /** The table's logical schema (partition columns included). */
  readonly schema: StructType
  readonly partitionColumns: readonly string[]
  readonly columnMappingMode: ColumnMappingMode
  readonly compression?: Compression
  /** Estimated bytes of a file before it rolls (default 128 MiB, as data files). */
  readonly targetFileBytes?: number
  readonly signal?: AbortSignal
}

interface OpenFile {
  readonly partitionValues: Record<string, string | null>
  readonly rows: Row[]
  bytes: number
}

/**
 * Streams change rows into change data files: one open file per partition, uploaded (put-if-absent) when
 * it reaches the target size. `finish()` returns the `cdc` actions; `abort()` deletes what was uploaded
 * (best effort: leftovers are orphans that vacuum removes once older than the retention).
 */
export class ChangeDataWriter {
  readonly #engine: Engine
  readonly #options: ChangeDataWriterOptions
  readonly #maxBytes: number
  readonly #fileSchema: StructType
  readonly #toPhysical: (row: Row, type: ChangeType) => Row
  readonly #fieldIds: boolean
  readonly #partitionFields: readonly { readonly field: StructField; readonly physical: string }[]
  readonly #open = new Map<string, OpenFile>()
  readonly #written: AddCDCFile[] = []

  constructor(engine: Engine, options: ChangeDataWriterOptions) {
    this.#engine = engine
    this.#options = options
    this.#maxBytes = positiveInteger('targetFileBytes', options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES)
    const mode = options.columnMappingMode
    const layout = physicalLayout(options.schema.fields.filter((f) => !options.partitionColumns.includes(f.name)), mode)
    this.#fieldIds = layout.fieldIds
    this.#fileSchema = { kind: 'struct', fields: [...layout.schema.fields, { name: CHANGE_TYPE_COLUMN, type: { kind: 'primitive', name: 'string' }, nullable: false, metadata: {} }] }
    const strip = options.partitionColumns.length > 0 && mode === 'none'
    this.#toPhysical = (row, type) => {
      const out: Record<string, Value> = { ...(strip ? layout.toPhysical(dropped(row, options.partitionColumns)) : layout.toPhysical(row)) }
      setField(out, CHANGE_TYPE_COLUMN, type)
      return out
    }
    this.#partitionFields = options.partitionColumns.map((name) => {
      const field = options.schema.fields.find((f) => f.name === name)
      if (field === undefined) throw new InvalidArgumentError(`partition column '${name}': expected it in the schema, found only ${options.schema.fields.map((f) => f.name).join(', ')}`)
      return { field, physical: physicalName(field, mode) }
    })
  }

  /** The files uploaded so far (complete after `finish`). */
  get written(): readonly AddCDCFile[] {
    return this.#written
  }

  /** Buffers one change row (logical names, partition columns included), uploading a file that reached its target. */
  async write(type: ChangeType, row: Row): Promise<void> {
    const values: Record<string, string | null> = {}
    for (const { field, physical } of this.#partitionFields) {
      const v = Object.hasOwn(row, field.name) ? (row[field.name] ?? null) : null
      setField(values, physical, serializePartitionValue(v, field.type))
    }
    const key = JSON.stringify(this.#partitionFields.map((p) => values[p.physical] ?? null))
    const physical = this.#toPhysical(row, type)
    const size = estimateBytes(physical)
    let file = this.#open.get(key)
    if (file !== undefined && file.rows.length > 0 && file.bytes + size > this.#maxBytes) {
      this.#open.delete(key)
      await this.#upload(file)
      file = undefined
    }
    if (file === undefined) {
      file = { partitionValues: values, rows: [], bytes: 0 }
      this.#open.set(key, file)
    }
    file.rows.push(physical)
    file.bytes += size
  }

  /** Uploads the open files and returns every `cdc` action written. */
  async finish(): Promise<readonly AddCDCFile[]> {
    const files = [...this.#open.values()]
    this.#open.clear()
    for (const file of files) await this.#upload(file)
    return this.#written
  }

  /** Drops buffered rows and deletes the uploaded files (best effort). */
  async abort(): Promise<void> {
    this.#open.clear()
    for (const file of this.#written.splice(0)) {
      try {
        await this.#engine.store.delete(decodeFilePath(file.path))
      } catch {
        // Best effort: an orphan no commit references, for vacuum.
      }
    }
  }

  async #upload(file: OpenFile): Promise<void> {
    const compression = this.#options.compression ?? 'zstd'
    const encoded = engineCodec(this.#engine).encode(file.rows, this.#fileSchema, { compression, ...(this.#fieldIds ? { fieldIds: 'whenPresent' as const } : {}) })
    const dir = this.#partitionFields.length === 0 ? '' : partitionDirectory(this.#partitionFields.map((p) => p.physical), file.partitionValues) + '/'
    const key = `${CHANGE_DATA_DIR}/${dir}cdc-00000-${randomUUID()}.c000.${compression}.parquet`
    await this.#engine.store.putIfAbsent(key, encoded.bytes, { signal: this.#options.signal })
    this.#written.push({ path: encodeFilePath(key), partitionValues: file.partitionValues, size: encoded.bytes.byteLength, dataChange: false })
  }
}

function dropped(row: Row, columns: readonly string[]): Row {
  const out: Record<string, Value> = {}
  for (const [k, v] of Object.entries(row)) if (!columns.includes(k)) setField(out, k, v)
  return out
}
