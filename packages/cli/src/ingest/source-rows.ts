// The records of a whole input, read through its Source (the one reader of `lake ingest`): cells
// and numbers cast to `schema` when given. A record the source cannot read is a usage error.

import type { StructType } from '@lake/core'
import { resolveRows } from '@lake/ingest'
import type { Source } from '@lake/ingest'
import { UsageError } from '../usage-error.js'

/** Records resolved together by `resolvedRows`. */
const RESOLVE_ROWS = 1024

/**
 * Every record of `source` from its first byte to byte `bytes` (the input's size), in order.
 * @throws UsageError naming the line (NDJSON) or record (CSV) of the first unreadable input.
 */
export async function* sourceRows(source: Source, bytes: number, schema: StructType | undefined, signal: AbortSignal): AsyncGenerator<unknown> {
  const start = await source.initialOffset({ signal })
  // The text sources read up to the end offset's byte; its line count only numbers what follows.
  const end = { line: Number.MAX_SAFE_INTEGER, byte: bytes }
  for await (const record of source.read(start, end, { schema, signal })) {
    if (record.kind === 'invalid') throw new UsageError(`input ${record.message}`, 'use --input-format csv for CSV input, ndjson for one JSON object per line')
    yield record.value
  }
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
