// NDJSON lines parsed into one Arrow batch of a flat schema, without encoding it: the columns route of
// `lake ingest` (encode-lines.ts: the flat parser, lines it is not sure of through the exact parser and
// the row coercer) for a caller that wants the columns themselves, such as `lake merge`'s source.

import { isUtf8 } from 'node:buffer'
import { batchBuilderFor } from '@lake/parquet/arrow'
import type { ArrowRecordBatch, StructType } from '@lake/parquet'
import { expectedRows, parseIntoColumns } from './encode-lines.js'
import { flatLineParserFor } from './flat-line-parser.js'

/** Why `linesToBatch` made no batch: the schema or bytes it does not take, or the first line it could not read (1-based). */
export type NoBatch = { readonly reason: 'schema' | 'utf8' } | { readonly reason: 'line'; readonly line: number; readonly message: string }

/**
 * The records of `bytes` (NDJSON, blank lines skipped, a byte order mark at the start skipped) as one
 * batch of `schema`'s canonical Arrow types, each value coerced to its column as `lake ingest` coerces
 * it; or why not: `schema` is not flat (columns of numbers, strings, booleans and dates only), `bytes`
 * are not UTF-8, or a line does not parse or holds a value (or key) its column refuses.
 */
export function linesToBatch(bytes: Uint8Array, schema: StructType): ArrowRecordBatch | NoBatch {
  const parser = flatLineParserFor(schema)
  const builder = parser === undefined ? undefined : batchBuilderFor(schema, expectedRows(bytes))
  if (parser === undefined || builder === undefined) return { reason: 'schema' }
  if (!isUtf8(bytes)) return { reason: 'utf8' }
  const task = { kind: 'lines' as const, bytes, firstLine: 1, firstRow: 0, atStart: true, schema, partitionColumns: [] }
  const failed = parseIntoColumns(task, builder, parser)
  if (failed === undefined) return builder.finish()
  const line = failed.status === 'invalid' ? failed.line : failed.context['line']
  return { reason: 'line', line: typeof line === 'number' ? line : 0, message: failed.message }
}
