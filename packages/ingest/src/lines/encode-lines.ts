// The worker side of the line route: one chunk of NDJSON bytes (whole lines, cut by `lineChunks` on
// the main thread) parsed, coerced and encoded where it lands, so no row object crosses a thread.
// Lines are read exactly as `NdjsonSource` reads them (same parser, same numbers, same messages);
// the rows then take `encodeChunk`'s way (Arrow column builders where the schema allows, else the
// row encoder, per partition). Pure CPU, no I/O.

import { isUtf8 } from 'node:buffer'
import { SchemaError } from '@lake/core'
import { DEFAULT_CODEC } from '@lake/core/internal'
import type { EncodedDataFile } from '@lake/core/internal'
import type { ParquetCodec } from '@lake/parquet'
import type { ErrorContext } from '@lake/storage'
import { IngestError } from '../errors.js'
import { encodeChunk, filesOf } from '../encode/encode-chunk.js'
import type { EncodeResult, EncodeTask } from '../encode/encode-chunk.js'
import { parseNdjsonLine } from '../sources/parse-line.js'

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

/** The outcome of a lines task: an `EncodeResult`, or the first line that is not a record. */
export type LinesResult =
  | EncodeResult
  | { readonly status: 'invalid'; readonly code: string; readonly message: string; readonly line: number }

/**
 * Parses the lines of `task` (blank lines skipped, numbers exact for the schema), coerces the records
 * to `task.schema` and encodes them. A refused value's error names its line (`on line 7`, context
 * `line` besides `row`).
 */
export function encodeLines(task: LinesTask, codec: ParquetCodec = DEFAULT_CODEC): LinesResult {
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
  const { schema, partitionColumns, compression, maxRowsPerFile, targetFileBytes, statsColumnLimit, firstRow } = task
  const result = encodeChunk({ schema, partitionColumns, compression, maxRowsPerFile, targetFileBytes, statsColumnLimit, rows, coerceFrom: firstRow }, codec)
  return result.status === 'failed' ? onLine(result, lineOf, firstRow) : result
}

/**
 * The files of a result, or its error: a line that is not a record is IngestError `InvalidArgument`
 * (SchemaError `SchemaMismatch` for a number its long column cannot hold), with context
 * `{ line, record }` (`record`: the invalid record's code, e.g. `InvalidJson`); see `filesOf` for the rest.
 */
export function linesFilesOf(result: LinesResult): EncodedDataFile[] {
  if (result.status !== 'invalid') return filesOf(result)
  const context: ErrorContext = { line: result.line, record: result.code }
  if (result.code === 'SchemaMismatch') throw new SchemaError('SchemaMismatch', result.message, { context })
  throw new IngestError('InvalidArgument', result.message, { context })
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
function onLine(result: Extract<EncodeResult, { status: 'failed' }>, lineOf: readonly number[], firstRow: number): EncodeResult {
  const row = result.context['row']
  const line = typeof row === 'number' ? lineOf[row - firstRow] : undefined
  if (line === undefined) return result
  return { ...result, message: result.message.replace(new RegExp(`\\bin row ${String(row)}\\b`), `on line ${line}`), context: { ...result.context, line } }
}
