// The worker side of the line route: one chunk of NDJSON bytes (whole lines, cut by `lineChunks` on
// the main thread) parsed, coerced and encoded where it lands, so no row object crosses a thread.
// Lines read exactly as `NdjsonSource` reads them (same values, same messages). A flat unpartitioned
// schema of numbers, strings and booleans goes from bytes straight into the Arrow column builders
// (`FlatLineParser`; lines it is unsure of take the exact parser and the row coercer into the same
// builders); other chunks become rows and take `encodeChunk`'s way. Pure CPU, no I/O.

import { isUtf8 } from 'node:buffer'
import { createRowCoercer, DEFAULT_CODEC } from '@lake/core/encode'
import type { RowCoercer } from '@lake/core/encode'
import { batchBuilderFor } from '@lake/parquet/arrow'
import type { BatchBuilder, ParquetCodec, StructType } from '@lake/parquet'
import { isLakeError } from '@lake/storage'
import { encodeChunk } from '../encode/encode-chunk.js'
import type { EncodeResult, EncodeTask } from '../encode/encode-chunk.js'
import { encodeBuilt } from '../encode/encode-columns.js'
import { parseNdjsonLine } from '../sources/parse-line.js'
import { flatLineParserFor } from './flat-line-parser.js'
import type { FlatLineParser } from './flat-line-parser.js'
import type { LinesResult } from './lines-result.js'

export { linesFilesOf } from './lines-result.js'
export type { LinesResult } from './lines-result.js'

/** One chunk of lines to parse and encode. Crosses the worker boundary with its bytes transferred. */
export interface LinesTask extends Omit<EncodeTask, 'rows' | 'coerceFrom'> {
  readonly kind: 'lines'
  /** Whole NDJSON lines; owns its ArrayBuffer (moved to the worker). */
  readonly bytes: Uint8Array
  /** The 1-based number of the first line. */
  readonly firstLine: number
  /** The 0-based row index of the first record in the input. */
  readonly firstRow: number
  /** The bytes start the input: a byte order mark before the first line is skipped. */
  readonly atStart: boolean
  /** JSON nesting limit. Default 100. */
  readonly maxDepth?: number | undefined
}

/**
 * Parses the lines of `task` (blank lines skipped, numbers exact for the schema), coerces the records
 * to `task.schema` and encodes them. A refused value's error names its line (`on line 7`, context
 * `line` besides `row`).
 */
export function encodeLines(task: LinesTask, codec: ParquetCodec = DEFAULT_CODEC): LinesResult {
  const route = columnsRoute(task, codec)
  return route === undefined ? viaRows(task, codec) : viaColumns(task, codec, route)
}

/** Every record parsed into a row, then `encodeChunk` (coercion, per-partition files). */
function viaRows(task: LinesTask, codec: ParquetCodec): LinesResult {
  const rows: unknown[] = []
  const lineOf: number[] = []
  let invalid: LinesResult | undefined
  forEachLine(task, (text, line, invalidUtf8) => {
    if (invalidUtf8) {
      invalid = { status: 'invalid', code: 'InvalidUtf8', message: `line ${line}: expected UTF-8 text, found invalid UTF-8 bytes`, line }
      return false
    }
    const json = task.atStart && line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
    if (json.charCodeAt(0) !== 0x7b && json.trim() === '') return true
    const record = parseNdjsonLine(json, line, task.schema, task.maxDepth)
    if (record.kind === 'invalid') {
      invalid = { status: 'invalid', code: record.code, message: record.message, line }
      return false
    }
    rows.push(record.value)
    lineOf.push(line)
    return true
  })
  if (invalid !== undefined) return invalid
  const { schema, partitionColumns, compression, maxRowsPerFile, targetFileBytes, statsColumnLimit, columnMappingMode, firstRow } = task
  const result = encodeChunk({ schema, partitionColumns, compression, maxRowsPerFile, targetFileBytes, statsColumnLimit, columnMappingMode, rows, coerceFrom: firstRow }, codec)
  return result.status === 'failed' ? onLine(result, lineOf, firstRow) : result
}

/** Calls `visit` with each line's text (no terminator), 1-based number and UTF-8 validity until it returns false. */
function forEachLine(task: LinesTask, visit: (text: string, line: number, invalidUtf8: boolean) => boolean): void {
  const buf = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength)
  let line = task.firstLine
  if (isUtf8(buf)) {
    // Valid as a whole, so every line is (a newline byte never sits inside a UTF-8 sequence): decode once.
    const text = buf.toString('utf8')
    for (let start = 0; start < text.length; line++) {
      const nl = text.indexOf('\n', start)
      const end = nl === -1 ? text.length : nl
      const stop = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end
      if (!visit(text.slice(start, stop), line, false)) return
      start = end + 1
    }
    return
  }
  for (let start = 0; start < buf.length; line++) {
    const nl = buf.indexOf(0x0a, start)
    const end = nl === -1 ? buf.length : nl
    const bytes = buf.subarray(start, end > start && buf[end - 1] === 0x0d ? end - 1 : end)
    if (!visit(bytes.toString('utf8'), line, !isUtf8(bytes))) return
    start = end + 1
  }
}

/** A refused value's error said at its line, as `lake ingest` says it: `on line 7`, context `line`. */
function onLine(result: Extract<EncodeResult, { status: 'failed' }>, lineOf: readonly number[], firstRow: number): Extract<EncodeResult, { status: 'failed' }> {
  const row = result.context['row']
  const line = typeof row === 'number' ? lineOf[row - firstRow] : undefined
  if (line === undefined) return result
  return { ...result, message: result.message.replace(new RegExp(`\\bin row ${String(row)}\\b`), `on line ${line}`), context: { ...result.context, line } }
}

/** The builders and the flat parser of a chunk that can go straight into columns, else undefined. */
function columnsRoute(task: LinesTask, codec: ParquetCodec): { builder: BatchBuilder; parser: FlatLineParser } | undefined {
  if (task.partitionColumns.length > 0 || task.targetFileBytes !== undefined || codec.encodeBatch === undefined || (task.maxDepth ?? 1) < 1) return undefined
  if ((task.columnMappingMode ?? 'none') !== 'none') return undefined
  const parser = flatLineParserFor(task.schema)
  if (parser === undefined || !isUtf8(task.bytes)) return undefined
  const builder = reusedBuilder(task.schema, task.bytes)
  return builder === undefined ? undefined : { builder, parser }
}

/** The builder of the last chunk and its schema (as JSON), kept for the next chunk of that schema. */
let kept: { readonly schema: string; readonly builder: BatchBuilder } | undefined
/** How long the kept builder outlives the last chunk (as parquet's IPC scratch buffer): its memory is then dropped. */
const KEPT_IDLE_MS = 10_000
let release: NodeJS.Timeout | undefined

/**
 * An empty builder for `schema`: the last chunk's when of the same schema (its buffers reused, so no
 * fresh memory to touch), else a new one sized to `bytes`; dropped `KEPT_IDLE_MS` after the last
 * chunk. Safe to share: a chunk is built and encoded synchronously (`encodeBuilt` lends its batch only
 * while encoding), and never two at once.
 */
function reusedBuilder(schema: StructType, bytes: Uint8Array): BatchBuilder | undefined {
  const key = JSON.stringify(schema)
  clearTimeout(release)
  release = setTimeout(() => { kept = undefined }, KEPT_IDLE_MS).unref()
  if (kept?.schema === key) {
    kept.builder.reset()
    return kept.builder
  }
  const builder = batchBuilderFor(schema, expectedRows(bytes))
  kept = builder === undefined ? undefined : { schema: key, builder }
  return builder
}

const BOM = [0xef, 0xbb, 0xbf] as const
/** Lines measured to guess a chunk's rows from its size. */
const SAMPLE_LINES = 32

/** About how many lines `bytes` holds, from the length of its first lines (sizes the builders' buffers). */
export function expectedRows(bytes: Uint8Array): number {
  let at = 0
  let lines = 0
  while (lines < SAMPLE_LINES && at < bytes.length) {
    const nl = bytes.indexOf(0x0a, at)
    if (nl === -1) break
    at = nl + 1
    lines++
  }
  return lines === 0 ? 1 : Math.ceil((bytes.length / at) * lines * 1.05)
}

/** Each line into the builders, then encoded. */
function viaColumns(task: LinesTask, codec: ParquetCodec, { builder, parser }: { builder: BatchBuilder; parser: FlatLineParser }): LinesResult {
  const failed = parseIntoColumns(task, builder, parser)
  if (failed !== undefined) return failed
  try {
    return { status: 'encoded', files: encodeBuilt(builder, task, codec) }
  } catch (err) {
    if (!isLakeError(err)) throw err
    return { status: 'failed', code: err.code, message: err.message, context: err.context }
  }
}

/**
 * Each line of `task` into `builder` (valid UTF-8: `columnsRoute` checked it): the flat parser's way,
 * else the exact parser and the row coercer. Undefined when every line went in, else why one cannot.
 */
export function parseIntoColumns(task: LinesTask, builder: BatchBuilder, parser: FlatLineParser): Extract<LinesResult, { status: 'invalid' | 'failed' }> | undefined {
  const buf = Buffer.from(task.bytes.buffer, task.bytes.byteOffset, task.bytes.byteLength)
  const exact = new ExactLines(task, builder)
  const size = buf.length
  let line = task.firstLine
  for (let start = 0; start < size; line++) {
    const bom = task.atStart && line === 1 && BOM.every((b, i) => buf[start + i] === b)
    const next = parser.parse(buf, bom ? start + 3 : start, size, builder)
    if (next >= 0) {
      exact.records++
      start = next
      continue
    }
    const nl = buf.indexOf(0x0a, start)
    const end = nl === -1 ? size : nl
    const stop = end > start && buf[end - 1] === 0x0d ? end - 1 : end
    const failed = exact.line(buf.toString('utf8', start, stop), line)
    if (failed !== undefined) return failed
    start = end + 1
  }
  return undefined
}

/** The exact path of one line of the columns route: parsed as `NdjsonSource` parses it, coerced as the row route coerces. */
class ExactLines {
  records = 0
  readonly #task: LinesTask
  readonly #builder: BatchBuilder
  readonly #coerce: RowCoercer

  constructor(task: LinesTask, builder: BatchBuilder) {
    this.#task = task
    this.#builder = builder
    this.#coerce = createRowCoercer(task.schema, { partitionColumns: [] })
  }

  /** Appends line `line`'s record (nothing for a blank line), or returns why it cannot. */
  line(text: string, line: number): Extract<LinesResult, { status: 'invalid' | 'failed' }> | undefined {
    const json = this.#task.atStart && line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
    if (json.trim() === '') return undefined
    const record = parseNdjsonLine(json, line, this.#task.schema, this.#task.maxDepth)
    if (record.kind === 'invalid') return { status: 'invalid', code: record.code, message: record.message, line }
    const row = this.#task.firstRow + this.records
    try {
      this.#builder.append(this.#coerce(record.value, row))
    } catch (err) {
      if (!isLakeError(err)) throw err
      return onLine({ status: 'failed', code: err.code, message: err.message, context: err.context }, [line], row)
    }
    this.records++
    return undefined
  }
}
