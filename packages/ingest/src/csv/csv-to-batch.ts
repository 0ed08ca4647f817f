// CSV records parsed into one Arrow batch of a flat schema, without encoding it: the columns route of
// `lake ingest`'s CSV input (csvChunks for the header and the records, CsvCellWriter for the cells) for
// a caller that wants the columns themselves, such as `lake merge`'s source. `linesToBatch` is the
// same for NDJSON.

import { isUtf8 } from 'node:buffer'
import { batchBuilderFor } from '@lake/parquet/arrow'
import type { ArrowRecordBatch, BatchBuilder, StructType } from '@lake/parquet'
import { IngestError } from '../errors.js'
import { expectedRows } from '../lines/encode-lines.js'
import type { NoBatch } from '../lines/lines-to-batch.js'
import { CsvCellWriter } from './csv-cells.js'
import { csvChunks } from './csv-chunks.js'
import type { CsvHeader } from './csv-chunks.js'
import { Records } from './encode-csv.js'

/**
 * The header's columns mapped to `schema`, and the builder and cell writer of its records; undefined
 * when a column is not named exactly as one of the table's (a row reader keeps the header's names).
 */
function columnsOf(header: CsvHeader, schema: StructType, rows: number): { builder: BatchBuilder; cells: CsvCellWriter } | undefined {
  const at = header.columns.map((c) => schema.fields.findIndex((f) => f.name === c))
  if (at.includes(-1) || schema.fields.some((f) => f.metadata['delta.generationExpression'] !== undefined)) return undefined
  const builder = batchBuilderFor(schema, rows)
  if (builder === undefined) return undefined
  return { builder, cells: new CsvCellWriter(schema.fields, at) }
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes
}

/**
 * The records of `bytes` (CSV with a header, a byte order mark at the start skipped, `,` between
 * cells) as one batch of `schema`'s canonical Arrow types, each cell cast and coerced to its column as
 * `lake ingest` does it; or why not: `schema` is not flat or has generated columns, or the header
 * names a column it lacks (`schema`), `bytes` are not UTF-8, or a record is malformed or holds a cell its column refuses
 * (`line`). Table columns the header does not name are NULL in every row.
 */
export async function csvToBatch(bytes: Uint8Array, schema: StructType): Promise<ArrowRecordBatch | NoBatch> {
  if (!isUtf8(bytes)) return { reason: 'utf8' }
  let columns: { builder: BatchBuilder; cells: CsvCellWriter } | undefined
  let header: CsvHeader | undefined
  try {
    for await (const piece of csvChunks(once(bytes), { rows: Number.MAX_SAFE_INTEGER, bytes: Number.MAX_SAFE_INTEGER })) {
      if (piece.kind === 'header') {
        header = piece
        columns = columnsOf(piece, schema, expectedRows(bytes))
        if (columns === undefined) return { reason: 'schema' }
        continue
      }
      if (columns === undefined || header === undefined) return { reason: 'schema' }
      const records = new Records({ delimiter: 0x2c, eol: header.eol, firstLine: piece.firstLine, firstRow: piece.firstRow, columns: header.columns }, Buffer.from(piece.bytes.buffer, piece.bytes.byteOffset, piece.bytes.byteLength))
      for (let next = records.next(); next !== false; next = records.next()) {
        if (next !== true) return { reason: 'line', line: records.line, message: 'message' in next ? next.message : '' }
        const failure = columns.cells.write(records.parser, records.buf, columns.builder, records.line, records.row)
        if (failure !== undefined) return { reason: 'line', line: records.line, message: failure.message }
      }
    }
  } catch (err) {
    if (!(err instanceof IngestError)) throw err
    const line = err.context['line']
    return { reason: 'line', line: typeof line === 'number' ? line : 0, message: err.message }
  }
  return columns === undefined ? { reason: 'schema' } : columns.builder.finish()
}
