// Streams records from NDJSON or CSV input in batches of bounded size. NDJSON numbers are parsed
// exactly (integers beyond 2^53 become bigint); CSV fields stay strings (typed by csv-values.ts).

import { createInterface } from 'node:readline'
import { addAbortSignal } from 'node:stream'
import type { Readable } from 'node:stream'
import { JsonNumber, parseLosslessJson } from '@lake/core'
import type { LosslessJson } from '@lake/core'
import { parse } from 'csv-parse'
import { UsageError } from '../usage-error.js'

/** Input formats of `lake ingest`. */
export type InputFormat = 'ndjson' | 'csv'

/** One record, column name → value. */
export type InputRecord = Record<string, unknown>

/** Batches of at most `batchRows` records from `input`; stops with the signal's reason when it aborts. */
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
    let value: LosslessJson
    try {
      value = parseLosslessJson(text)
    } catch (cause) {
      throw new UsageError(`NDJSON line ${line}: expected a JSON object, found '${text.slice(0, 80)}'`, 'use --input-format csv for CSV input', { cause })
    }
    const record = toValue(value)
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

/** JSON numbers: safe integers and fractions as number, larger integers as bigint (exact). */
function toValue(value: LosslessJson): unknown {
  if (value instanceof JsonNumber) {
    const n = Number(value.text)
    return /^-?\d+$/.test(value.text) && !Number.isSafeInteger(n) ? BigInt(value.text) : n
  }
  if (Array.isArray(value)) return value.map(toValue)
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toValue(v)]))
  return value
}
