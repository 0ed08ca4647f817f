// RollingFileWriter: the streaming side of writing data files. Rows (already coerced) go into one
// open buffer per partition; a buffer is encoded and uploaded as soon as it reaches its row or byte target.

import { setField } from '../parquet-values.js'
import type { Row, StructType } from '@lake/parquet'
import type { AddFile } from '../actions/types.js'
import { engineCodec } from '../engine.js'
import type { Engine } from '../engine.js'
import { serializePartitionValue } from '../partition/index.js'
import { discardAdds } from './discard-files.js'
import { estimateBytes } from './estimate-bytes.js'
import { DEFAULT_MAX_ROWS_PER_FILE, DEFAULT_TARGET_FILE_BYTES, DEFAULT_WRITE_CONCURRENCY, encodeDataFile, positiveInteger, uploadDataFile } from './write-data-files.js'
import type { WriteDataFilesOptions } from './write-data-files.js'

interface OpenFile {
  readonly partitionValues: Readonly<Record<string, string | null>>
  rows: Row[]
  bytes: number
}

/**
 * Writes a stream of rows as data files with bounded memory: at most one open file per partition
 * plus `concurrency` files being uploaded. Files cut exactly as `planDataFiles` cuts them (per
 * partition, by rows and estimated bytes). The add actions accumulate until `finish()`.
 * `abort()` after a failure deletes the files already uploaded (best effort: what it cannot delete
 * stays as orphans that no commit references, for vacuum).
 */
export class RollingFileWriter {
  readonly #engine: Engine
  #options: WriteDataFilesOptions
  readonly #maxRows: number
  readonly #maxBytes: number
  readonly #concurrency: number
  readonly #open = new Map<string, OpenFile>()
  readonly #uploads = new Set<Promise<void>>()
  readonly #adds: AddFile[] = []
  #types: ReadonlyMap<string, StructType['fields'][number]['type']>

  constructor(engine: Engine, options: WriteDataFilesOptions) {
    this.#engine = engine
    this.#options = options
    this.#maxRows = positiveInteger('maxRowsPerFile', options.maxRowsPerFile ?? DEFAULT_MAX_ROWS_PER_FILE)
    this.#maxBytes = positiveInteger('targetFileBytes', options.targetFileBytes ?? DEFAULT_TARGET_FILE_BYTES)
    this.#concurrency = options.concurrency ?? DEFAULT_WRITE_CONCURRENCY
    this.#types = new Map(options.schema.fields.map((f) => [f.name, f.type]))
  }

  /** The schema the files are written with (it changes only through `changeSchema`). */
  get schema(): StructType {
    return this.#options.schema
  }

  /** Buffers rows, uploading each file that reaches its target; waits while `concurrency` uploads run. */
  async write(rows: readonly Row[]): Promise<void> {
    for (const row of rows) {
      const values = this.#partitionValues(row)
      const key = JSON.stringify(this.#options.partitionColumns.map((c) => values[c] ?? null))
      const size = estimateBytes(row)
      let file = this.#open.get(key)
      if (file !== undefined && file.bytes + size > this.#maxBytes && file.rows.length > 0) {
        this.#open.delete(key)
        await this.#upload(file)
        file = undefined
      }
      if (file === undefined) {
        file = { partitionValues: values, rows: [], bytes: 0 }
        this.#open.set(key, file)
      }
      file.rows.push(row)
      file.bytes += size
      if (file.rows.length >= this.#maxRows) {
        this.#open.delete(key)
        await this.#upload(file)
      }
    }
  }

  /** Uploads every open file, then writes the next rows with `schema` (mergeSchema across chunks). */
  async changeSchema(schema: StructType): Promise<void> {
    await this.#flushOpen()
    this.#options = { ...this.#options, schema }
    this.#types = new Map(schema.fields.map((f) => [f.name, f.type]))
  }

  /** Uploads the open files, waits for every upload, and returns all add actions. */
  async finish(): Promise<readonly AddFile[]> {
    await this.#flushOpen()
    while (this.#uploads.size > 0) await Promise.race(this.#uploads)
    return this.#adds
  }

  /** Waits for the running uploads, ignoring their errors (so no upload floats), then deletes every uploaded file. */
  async abort(): Promise<void> {
    this.#open.clear()
    await Promise.allSettled([...this.#uploads])
    await discardAdds(this.#engine, this.#adds)
  }

  async #flushOpen(): Promise<void> {
    const files = [...this.#open.values()]
    this.#open.clear()
    for (const file of files) await this.#upload(file)
  }

  async #upload(file: OpenFile): Promise<void> {
    while (this.#uploads.size >= this.#concurrency) await Promise.race(this.#uploads)
    const encoded = encodeDataFile({ partitionValues: file.partitionValues, rows: file.rows }, this.#options, engineCodec(this.#engine))
    const task = uploadDataFile(this.#engine, encoded, this.#options.signal).then((add) => {
      this.#adds.push(add)
      this.#uploads.delete(task)
    })
    // A failed upload stays in the set: the next wait rethrows it; this handler only keeps it from being unhandled meanwhile.
    task.catch(() => {})
    this.#uploads.add(task)
  }

  #partitionValues(row: Row): Record<string, string | null> {
    const values: Record<string, string | null> = {}
    for (const column of this.#options.partitionColumns) {
      const type = this.#types.get(column)
      setField(values, column, type === undefined ? null : serializePartitionValue(row[column] ?? null, type))
    }
    return values
  }
}
