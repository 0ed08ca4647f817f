// The records of a whole input, read through its Source (the one reader of `lake ingest`): cells
// and numbers cast to `schema` when given. A record the source cannot read is a usage error.

import { SchemaError } from '@lake/core'
import type { StructType } from '@lake/core'
import { resolveRows } from '@lake/ingest/append'
import type { Source, SourceRecord } from '@lake/ingest'
import { UsageError } from '../usage-error.js'
import type { RowLines } from './row-lines.js'

/** Records the sources type a new table's columns from (their default `sampleRecords`). */
const SAMPLE_RECORDS = 1000

/** Records resolved together by `resolvedRows`. */
const RESOLVE_ROWS = 1024

/**
 * Every record of `source` from its first byte to byte `bytes` (the input's size), in order.
 * `inferred`: `schema` was inferred from the input (a new table), which a refused value's hint says.
 * `lines`: told where each yielded row came from, to name lines in the writers' errors.
 * @throws UsageError naming the line of the first unreadable input (NDJSON and CSV alike).
 */
export async function* sourceRows(source: Source, bytes: number, schema: StructType | undefined, signal: AbortSignal, inferred = false, lines?: RowLines): AsyncGenerator<unknown> {
  const start = await source.initialOffset({ signal })
  // The text sources read up to the end offset's byte; its line count only numbers what follows.
  const end = { line: Number.MAX_SAFE_INTEGER, byte: bytes }
  let row = 0
  for await (const record of source.read(start, end, { schema, signal })) {
    if (record.kind === 'invalid') throw unreadable(record, inferred)
    lines?.note(row++, record.position)
    yield record.value
  }
}

/** A value its column refuses is bad data (SchemaError, exit 1); input that does not parse is a usage error. */
export function unreadable(record: Pick<Extract<SourceRecord, { kind: 'invalid' }>, 'code' | 'message'>, inferred: boolean): Error {
  if (record.code === 'SchemaMismatch') {
    const help = inferred ? `\nHelp: a new table's column types are inferred from the first ${SAMPLE_RECORDS} records; declare the schema (create the table first, e.g. \`lake create --schema\`) to write other values` : ''
    return new SchemaError('SchemaMismatch', `input ${record.message}${help}`)
  }
  return new UsageError(`input ${record.message}`, record.code === 'InvalidUtf8' ? 'save the input as UTF-8' : 'use --input-format csv for CSV input, ndjson for one JSON object per line')
}

/**
 * `rows` with exact JSON numbers resolved to their column's value (`resolveRows`): what
 * `writeDelta` takes. Rows are numbered from 0 across the whole input in errors.
 */
export async function* resolvedRows(rows: AsyncIterable<unknown>, schema: StructType | undefined): AsyncGenerator<unknown> {
  let chunk: unknown[] = []
  let first = 0
  for await (const row of rows) {
    chunk.push(row)
    if (chunk.length < RESOLVE_ROWS) continue
    yield* resolveRows(chunk, schema, first)
    first += chunk.length
    chunk = []
  }
  if (chunk.length > 0) yield* resolveRows(chunk, schema, first)
}
