// Writes command results in the chosen format: streams of records (rows, files, history) and single
// objects (describe, maintenance results). Records stream; only table output buffers a chunk.

import { csvLine } from './csv.js'
import type { Sink } from './sink.js'
import { renderKeyValue, renderTable } from './table.js'
import type { TableStyle } from './table.js'
import { cellText, jsonText } from './values.js'

/** Output formats. `json` is one document; `ndjson` one JSON object per line. */
export type Format = 'table' | 'json' | 'ndjson' | 'csv'

/** The formats, for option validation and help. */
export const FORMATS: readonly Format[] = ['table', 'json', 'ndjson', 'csv']

/** A record: column name → value. */
export type OutRecord = Readonly<Record<string, unknown>>

/** Where and how to write. */
export interface Output {
  readonly sink: Sink
  readonly format: Format
  readonly style: TableStyle
}

/** Rows rendered per table chunk: a table needs its widths, so it buffers this many rows at a time. */
const TABLE_CHUNK_ROWS = 1000

/**
 * Writes records under `columns`. `source` yields batches; each is written before the next is
 * pulled, so memory stays bounded and a closed pipe stops the producer.
 * @returns The number of records written.
 */
export async function emitRecords(out: Output, columns: readonly string[], source: AsyncIterable<readonly OutRecord[]> | Iterable<readonly OutRecord[]>): Promise<number> {
  let count = 0
  let pending: OutRecord[] = []
  const flushTable = async (): Promise<void> => {
    if (pending.length === 0 && count > 0) return
    await out.sink.write(renderTable(columns, pending.map((r) => columns.map((c) => nullable(r[c]))), out.style))
    pending = []
  }
  if (out.format === 'json') await out.sink.write('[')
  if (out.format === 'csv') await out.sink.write(csvLine(columns))
  for await (const batch of source) {
    for (const record of batch) {
      if (out.sink.closed) return count
      switch (out.format) {
        case 'table':
          pending.push(record)
          if (pending.length >= TABLE_CHUNK_ROWS) await flushTable()
          break
        case 'json':
          await out.sink.write(`${count === 0 ? '\n' : ',\n'}${pick(record, columns)}`)
          break
        case 'ndjson':
          await out.sink.write(`${pick(record, columns)}\n`)
          break
        case 'csv':
          await out.sink.write(csvLine(columns.map((c) => nullable(record[c]))))
          break
      }
      count++
    }
  }
  if (out.format === 'table' && (pending.length > 0 || count === 0)) await flushTable()
  if (out.format === 'json') await out.sink.write(count === 0 ? ']\n' : '\n]\n')
  return count
}

/** Writes one object: key/value lines as a table, one JSON document, one NDJSON line, or a CSV header and row. */
export async function emitObject(out: Output, record: OutRecord): Promise<void> {
  const keys = Object.keys(record).filter((k) => record[k] !== undefined)
  switch (out.format) {
    case 'table':
      return out.sink.write(renderKeyValue(keys.map((k) => [k, nullable(record[k])] as const), out.style))
    case 'json':
    case 'ndjson':
      return out.sink.write(`${jsonText(record)}\n`)
    case 'csv':
      return out.sink.write(csvLine(keys) + csvLine(keys.map((k) => nullable(record[k]))))
  }
}

function pick(record: OutRecord, columns: readonly string[]): string {
  return `{${columns.map((c) => `${JSON.stringify(c)}:${jsonText(record[c])}`).join(',')}}`
}

function nullable(value: unknown): string | null {
  return value === null || value === undefined ? null : cellText(value)
}
