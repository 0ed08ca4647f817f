// Streams records from NDJSON or CSV input in batches of bounded size. NDJSON numbers are parsed
// exactly (@lake/ingest `parseJsonExact`); CSV fields stay strings (typed by csv-values.ts).

import { createInterface } from 'node:readline'
import { addAbortSignal } from 'node:stream'
import type { Readable } from 'node:stream'
import { parseJsonExact } from '@lake/ingest'
import { parse } from 'csv-parse'
import { UsageError } from '../usage-error.js'

/** Input formats of `lake ingest`. */
export type InputFormat = 'ndjson' | 'csv'

/** One record, column name → value. */
export type InputRecord = Record<string, unknown>

/**
 * Batches of at most `batchRows` records from `input`; stops with the signal's reason when it aborts.
 * NDJSON numbers: `number` when a double holds them exactly, `bigint` for integers beyond 2^53, and
 * core's `JsonNumber` (exact text) otherwise; `appendRows` turns those into their column's exact
 * value (decimal digits, bigint, or a double). `writeDelta` does not accept `JsonNumber`: resolve
 * them first with @lake/ingest `resolveRows(rows, schema, firstRow)`.
 */
export async function* readRecords(input: Readable, format: InputFormat, batchRows: number, signal: AbortSignal): AsyncGenerator<InputRecord[]> {
  let batch: InputRecord[] = []
  for await (const record of format === 'csv' ? csvRecords(input, signal) : ndjsonRecords(input, signal)) {
    batch.push(record)
    if (batch.length >= batchRows) {
      yield batch
      batch = []
    }
  }
  signal.throwIfAborted()
  if (batch.length > 0) yield batch
}

async function* ndjsonRecords(input: Readable, signal: AbortSignal): AsyncGenerator<InputRecord> {
  let line = 0
  for await (const text of createInterface({ input, crlfDelay: Infinity, signal })) {
    line++
    if (text.trim() === '') continue
    let record: unknown
    try {
      record = parseJsonExact(text)
    } catch (cause) {
      throw new UsageError(`NDJSON line ${line}: expected a JSON object, found '${text.slice(0, 80)}'`, 'use --input-format csv for CSV input', { cause })
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new UsageError(`NDJSON line ${line}: expected a JSON object, found '${text.slice(0, 80)}'`)
    }
    yield record as InputRecord
  }
}

async function* csvRecords(input: Readable, signal: AbortSignal): AsyncGenerator<InputRecord> {
  const parser = addAbortSignal(signal, input.pipe(parse({ columns: true, skip_empty_lines: true, bom: true })))
  for await (const record of parser as AsyncIterable<unknown>) {
    if (typeof record === 'object' && record !== null) yield record as InputRecord
  }
}
