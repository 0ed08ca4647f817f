// Writes rows as Parquet data files of a table: groups rows by partition, rolls files at a target
// size, encodes, uploads with bounded concurrency, and returns the add actions. Never commits.

import { randomUUID } from 'node:crypto'
import { setField } from '../parquet-values.js'
import type { Compression, ParquetCodec, Row, StructType } from '@lake/parquet'
import type { AddFile } from '../actions/types.js'
import { encodeFilePath } from '../actions/file-path.js'
import { DEFAULT_CODEC, engineCodec } from '../engine.js'
import type { Engine } from '../engine.js'
import { estimateBytes } from './estimate-bytes.js'
import { partitionDirectory, serializePartitionValue } from '../partition/index.js'
import { mapConcurrent } from '@lake/storage'
import type { ObjectMeta } from '@lake/storage'
import { partitionTooLongError } from './partition-too-long.js'
import { WriteError } from '../errors.js'
import type { ColumnMappingMode } from '../schema/column-mapping.js'
import { physicalColumnNames, physicalLayout, physicalPartitionValues } from '../schema/physical-rows.js'

/** Default rows per data file before rolling to the next one. */
export const DEFAULT_MAX_ROWS_PER_FILE = 1_000_000
/** Default target size of a data file, estimated from the input before encoding. */
export const DEFAULT_TARGET_FILE_BYTES = 128 << 20 // 128 MiB
/** Files encoded and uploaded at once. */
export const DEFAULT_WRITE_CONCURRENCY = 4

export interface WriteDataFilesOptions {
  /** The full table schema (partition columns included). */
  readonly schema: StructType
  readonly partitionColumns: readonly string[]
  readonly compression?: Compression
  readonly maxRowsPerFile?: number
  readonly targetFileBytes?: number
  /** Leaf columns with statistics (`delta.dataSkippingNumIndexedCols`). */
  readonly statsColumnLimit?: number
  /** The table's `delta.columnMapping.mode` (default none): files, stats and partition values use physical names. */
  readonly columnMappingMode?: ColumnMappingMode
  readonly concurrency?: number
  readonly signal?: AbortSignal
}

/** One data file to write: rows of one partition (partition columns still in the rows). */
export interface DataFilePlan {
  readonly partitionValues: Readonly<Record<string, string | null>>
  readonly rows: readonly Row[]
}

/** An encoded data file, ready to upload. */
export interface EncodedDataFile {
  /** The store key relative to the table root (partition directory included). */
  readonly key: string
  readonly bytes: Uint8Array
  readonly partitionValues: Readonly<Record<string, string | null>>
  /** The add action's `stats` JSON. */
  readonly stats: string
  readonly numRecords: number
}

/**
 * Encodes and uploads `rows` (already coerced to the schema) as data files and returns one add
 * action per file with statistics. On failure some files may exist in storage: they are orphans
 * that no commit references, removed only by vacuum.
 */
export async function writeDataFiles(engine: Engine, rows: readonly Row[], options: WriteDataFilesOptions): Promise<AddFile[]> {
  const plans = planDataFiles(rows, options)
  const codec = engineCodec(engine)
  return mapConcurrent(plans, options.concurrency ?? DEFAULT_WRITE_CONCURRENCY, async (plan) =>
    uploadDataFile(engine, encodeDataFile(plan, options, codec), options.signal),
  )
}

/**
 * Encodes one planned file as Parquet (partition columns dropped, they live in the log; under column
 * mapping columns, stats and partition values carry physical names and field ids) and names it
 * `<partition dirs>/part-00000-<uuid>-c000.<compression>.parquet` with `codec` (the engine's).
 * CPU only, no I/O: safe in worker threads.
 */
export function encodeDataFile(
  plan: DataFilePlan,
  options: Omit<WriteDataFilesOptions, 'signal' | 'concurrency'>,
  codec: ParquetCodec = DEFAULT_CODEC,
): EncodedDataFile {
  const mode = options.columnMappingMode ?? 'none'
  const layout = physicalLayout(options.schema.fields.filter((f) => !options.partitionColumns.includes(f.name)), mode)
  const dataRows = mode !== 'none' ? plan.rows.map(layout.toPhysical) : options.partitionColumns.length === 0 ? plan.rows : plan.rows.map((r) => dropColumns(r, options.partitionColumns))
  const compression = options.compression ?? 'zstd'
  const encoded = codec.encode(dataRows, layout.schema, {
    compression,
    ...(layout.fieldIds ? { fieldIds: true } : {}),
    ...(options.statsColumnLimit === undefined ? {} : { statsColumnLimit: options.statsColumnLimit }),
  })
  const partitionValues = physicalPartitionValues(plan.partitionValues, options.schema, options.partitionColumns, mode)
  const columns = physicalColumnNames(options.schema, options.partitionColumns, mode)
  const dir = columns.length === 0 ? '' : partitionDirectory(columns, partitionValues) + '/'
  const key = `${dir}part-00000-${randomUUID()}-c000.${compression}.parquet`
  return { key, bytes: encoded.bytes, partitionValues, stats: JSON.stringify(encoded.stats), numRecords: encoded.numRecords }
}

/**
 * Uploads an encoded file (put-if-absent: a data file is never overwritten) and returns its add action.
 * @throws SchemaError `SchemaMismatch` "partition value too long (N bytes) for column c" when the
 * store refuses the name as too long (`context.column`, `context.bytes`); StorageError otherwise.
 */
export async function uploadDataFile(engine: Engine, file: EncodedDataFile, signal?: AbortSignal): Promise<AddFile> {
  let meta: ObjectMeta
  try {
    meta = await engine.store.putIfAbsent(file.key, file.bytes, { signal })
  } catch (err) {
    throw partitionTooLongError(err, file.key, file.partitionValues) ?? err
  }
  return {
    path: encodeFilePath(file.key),
    partitionValues: file.partitionValues,
    size: file.bytes.byteLength,
    modificationTime: meta.lastModified,
    dataChange: true,
    stats: file.stats,
  }
}

/** Splits rows into per-partition files of bounded rows and (estimated) bytes. Pure. */
export function planDataFiles(rows: readonly Row[], options: Pick<WriteDataFilesOptions, 'schema' | 'partitionColumns' | 'maxRowsPerFile' | 'targetFileBytes'>): DataFilePlan[] {
  const maxRows = positiveInteger('maxRowsPerFile', options.maxRowsPerFile ?? DEFAULT_MAX_ROWS_PER_FILE)
  const maxBytes = positiveInteger('targetFileBytes', options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES)
  const types = new Map(options.schema.fields.map((f) => [f.name, f.type]))
  const groups = new Map<string, { values: Record<string, string | null>; files: { rows: Row[]; bytes: number }[] }>()
  const isPartitioned = options.partitionColumns.length > 0
  const unpartitioned: Record<string, string | null> = {}
  for (const row of rows) {
    const values: Record<string, string | null> = isPartitioned ? {} : unpartitioned
    for (const column of options.partitionColumns) {
      const type = types.get(column)
      setField(values, column, type === undefined ? null : serializePartitionValue(row[column] ?? null, type))
    }
    const key = isPartitioned ? JSON.stringify(options.partitionColumns.map((c) => values[c] ?? null)) : '[]'
    let group = groups.get(key)
    if (group === undefined) {
      group = { values, files: [] }
      groups.set(key, group)
    }
    let file = group.files.at(-1)
    const size = estimateBytes(row)
    if (file === undefined || file.rows.length >= maxRows || (file.bytes + size > maxBytes && file.rows.length > 0)) {
      file = { rows: [], bytes: 0 }
      group.files.push(file)
    }
    file.rows.push(row)
    file.bytes += size
  }
  return [...groups.values()].flatMap((g) => g.files.map((f) => ({ partitionValues: g.values, rows: f.rows })))
}

/** `value` when it is a positive safe integer. @throws WriteError `InvalidArgument` naming the option. */
export function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1) throw new WriteError('InvalidArgument', `${name} must be a positive integer, found ${String(value)}`)
  return value
}

function dropColumns(row: Row, columns: readonly string[]): Row {
  const out: Record<string, Row[string]> = { ...row }
  for (const c of columns) delete out[c]
  return out
}
