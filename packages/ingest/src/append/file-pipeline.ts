// The encode → upload pipeline of one batch: chunks (rows, or NDJSON lines) go to the encoder pool, encoded files upload
// with bounded I/O concurrency, and the add actions are collected. Never commits.

import pLimit from 'p-limit'
import type { LimitFunction } from 'p-limit'
import { uploadDataFile } from '@lake/core/internal'
import type { AddFile, Engine } from '@lake/core'
import type { EncodedDataFile } from '@lake/core/internal'
import type { Compression, Row, StructType } from '@lake/parquet'
import type { Encoder } from '../encode/encoder-types.js'
import type { EncodeTask } from '../encode/encode-chunk.js'
import type { LineChunk } from '../lines/line-chunks.js'
import type { CsvChunk, CsvHeader } from '../csv/csv-chunks.js'

/** Default uploads in flight. */
export const DEFAULT_UPLOAD_CONCURRENCY = 8

/** Settings of a `FilePipeline`. */
export interface FilePipelineOptions {
  readonly engine: Engine
  readonly encoder: Encoder
  readonly partitionColumns: readonly string[]
  readonly compression?: Compression | undefined
  readonly maxRowsPerFile?: number | undefined
  readonly targetFileBytes?: number | undefined
  readonly statsColumnLimit?: number | undefined
  /** The table's `delta.columnMapping.mode`: files carry physical names and field ids. */
  readonly columnMappingMode?: 'none' | 'name' | 'id' | undefined
  readonly uploadConcurrency?: number | undefined
  /** Called once per uploaded file. */
  readonly onFile?: ((add: AddFile, file: EncodedDataFile) => void) | undefined
  readonly signal?: AbortSignal | undefined
}

/**
 * Encodes and uploads the chunks of one batch. `push` waits while the pipeline is full (chunks in
 * flight ≤ encoder concurrency + upload concurrency), so memory stays bounded. The first failure
 * aborts the rest; `push` and `finish` then throw it. Files uploaded before a failure are listed by
 * `uploadedKeys()` so the caller can delete them (`discardFiles`).
 */
export class FilePipeline {
  readonly #options: FilePipelineOptions
  readonly #uploads: LimitFunction
  readonly #abort = new AbortController()
  readonly #inFlight = new Set<Promise<void>>()
  readonly #adds: AddFile[] = []
  readonly #keys: string[] = []
  readonly #maxInFlight: number
  #error: { readonly cause: unknown } | undefined

  constructor(options: FilePipelineOptions) {
    this.#options = options
    const uploads = options.uploadConcurrency ?? DEFAULT_UPLOAD_CONCURRENCY
    this.#uploads = pLimit(uploads)
    this.#maxInFlight = options.encoder.concurrency + Math.max(1, Math.ceil(uploads / 4))
    options.signal?.addEventListener('abort', () => this.#fail(options.signal?.reason), { once: true })
  }

  /** Chunks in flight at most (encoding or uploading); `push*` waits while this many are. */
  get maxInFlight(): number {
    return this.#maxInFlight
  }

  /**
   * Queues one chunk encoded with `schema`; waits while the pipeline is full. Rows are coerced
   * already, or raw when `coerceFrom` (the index of the first row) is given: the encoder coerces.
   */
  async push(rows: readonly Row[] | readonly unknown[], schema: StructType, coerceFrom?: number): Promise<void> {
    await this.#queue((o, signal) => o.encoder.encode({ rows, coerceFrom, schema, ...this.#fileOptions() }, signal))
  }

  /**
   * Queues one chunk of NDJSON lines that the encoder parses, coerces to `schema` and encodes
   * (`Encoder.encodeLines`); its bytes are moved to the encoder, and `reuse` gets their ArrayBuffer
   * when the encoder hands it back. Waits while the pipeline is full.
   */
  async pushLines(chunk: LineChunk, schema: StructType, maxDepth?: number, reuse?: (buffer: ArrayBuffer) => void): Promise<void> {
    const { bytes, firstLine, firstRow, atStart } = chunk
    const task = { kind: 'lines', bytes, firstLine, firstRow, atStart, maxDepth, schema, ...this.#fileOptions() } as const
    await this.#queue((o, signal) => o.encoder.encodeLines(task, signal, reuse))
  }

  /** Queues one chunk of CSV records of `header` that the encoder parses, casts, coerces to `schema` and encodes; its bytes are moved to the encoder. */
  async pushCsv(chunk: CsvChunk, header: CsvHeader, delimiter: number, schema: StructType): Promise<void> {
    const { bytes, firstLine, firstRow } = chunk
    await this.#queue((o, signal) => o.encoder.encodeLines({ kind: 'csv', bytes, firstLine, firstRow, columns: header.columns, eol: header.eol, delimiter, schema, ...this.#fileOptions() }, signal))
  }

  async #queue(encode: (o: FilePipelineOptions, signal: AbortSignal) => Promise<EncodedDataFile[]>): Promise<void> {
    this.#throwIfFailed()
    while (this.#inFlight.size >= this.#maxInFlight) {
      await Promise.race(this.#inFlight)
      this.#throwIfFailed()
    }
    const task = this.#run(encode).catch((err: unknown) => this.#fail(err))
    const tracked = task.finally(() => this.#inFlight.delete(tracked))
    this.#inFlight.add(tracked)
  }

  /** Waits for every chunk and returns the add actions (in completion order). */
  async finish(): Promise<AddFile[]> {
    await this.drain()
    this.#throwIfFailed()
    return this.#adds
  }

  /** The store keys of every file uploaded so far (to delete them when the batch is not committed). */
  uploadedKeys(): readonly string[] {
    return [...this.#keys]
  }

  /** Waits until nothing is in flight (after a failure too); never throws. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight])
  }

  #fileOptions(): Omit<EncodeTask, 'rows' | 'coerceFrom' | 'schema'> {
    const o = this.#options
    const { partitionColumns, compression, maxRowsPerFile, targetFileBytes, statsColumnLimit, columnMappingMode } = o
    return { partitionColumns, compression, maxRowsPerFile, targetFileBytes, statsColumnLimit, columnMappingMode }
  }

  async #run(encode: (o: FilePipelineOptions, signal: AbortSignal) => Promise<EncodedDataFile[]>): Promise<void> {
    const o = this.#options
    const signal = this.#abort.signal
    const files = await encode(o, signal)
    await Promise.all(
      files.map((file) =>
        this.#uploads(async () => {
          signal.throwIfAborted()
          const add = await uploadDataFile(o.engine, file, signal)
          this.#keys.push(file.key)
          this.#adds.push(add)
          o.onFile?.(add, file)
        }),
      ),
    )
  }

  #fail(cause: unknown): void {
    if (this.#error !== undefined) return
    this.#error = { cause }
    this.#abort.abort(cause)
  }

  #throwIfFailed(): void {
    if (this.#error !== undefined) throw this.#error.cause
  }
}
