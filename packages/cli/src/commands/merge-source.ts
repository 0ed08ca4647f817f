// `lake merge`'s source read as Arrow columns when it can be: an NDJSON or CSV input of the table's flat
// columns (numbers, strings, booleans, dates) is parsed straight into the column builders as `lake
// ingest` parses it (@lake/ingest `linesToBatch`, `csvToBatch`), so the MERGE holds it without a row
// object. Anything else (`--schema-mode merge`, another column type, a line, record or value the columns
// refuse, a column no record fills, a CSV column the table lacks) returns undefined: the caller reads the
// records as rows, which gives the errors and the semantics of a row source (e.g. a target column the
// source lacks fails updateAll).

import { readFile } from 'node:fs/promises'
import type { StructType } from '@lake/core'
import type { NoBatch, linesToBatch } from '@lake/ingest'
import type { InputFormat } from '../ingest/ingest-input.js'

/** An Arrow RecordBatch of the table's columns. */
type SourceBatch = Exclude<ReturnType<typeof linesToBatch>, NoBatch>

/** Inputs above this size are read as rows (the MERGE's source budget, 512 MiB by default, counts them as they stream). */
const MAX_COLUMNAR_BYTES = 256 * 1024 * 1024

/** What the columnar read needs of the input and the command. */
export interface MergeSourceInput {
  readonly path: string
  readonly bytes: number
  readonly format: InputFormat
  readonly schema: StructType
  readonly schemaMode: boolean
}

/** The input as one Arrow batch of the table's columns (all nullable: source values, not table rows), or undefined. */
export async function columnarMergeSource(input: MergeSourceInput): Promise<SourceBatch | undefined> {
  if (input.schemaMode || input.bytes === 0 || input.bytes > MAX_COLUMNAR_BYTES) return undefined
  const { csvToBatch, linesToBatch } = await import('@lake/ingest')
  const schema: StructType = { kind: 'struct', fields: input.schema.fields.map((f) => ({ ...f, nullable: true, metadata: {} })) }
  const bytes = await readFile(input.path)
  const batch = input.format === 'csv' ? await csvToBatch(bytes, schema) : linesToBatch(bytes, schema)
  if ('reason' in batch || batch.numRows === 0) return undefined
  // A column NULL in every row may be one no line has: only the row path knows the source's columns.
  return batch.data.children.some((column) => column.nullCount === column.length) ? undefined : batch
}
