// Parquet -> canonical Arrow without row objects: the footer, then the column chunks of the
// file are fetched when a scan needs all its columns (other scans decode rows and fetch only their
// column chunks), and decoded by parquet-wasm (arrow-rs) into Arrow buffers; each batch is then brought
// to the canonical Arrow types of the Delta schema (zero-copy where the types already match).

import * as arrow from 'apache-arrow'
import { readParquetRows } from '../decode.js'
import type { ReadOptions } from '../decode.js'
import { inFile, toParquetError } from '../errors.js'
import { readFooter } from '../metadata.js'
import { checkPageCrcs } from '../page-crc/page-crc.js'
import type { AsyncBuffer, StructType } from '../types.js'
import { deltaToArrowSchema } from './arrow-schema.js'
import { canonicalBatch } from './encode-arrow-batch.js'
import { storedOnly } from './physical-to-arrow.js'
import { rowsToArrow } from './rows-to-arrow.js'
import { parquetWasm } from './wasm-writer.js'

const FOOTER_TAIL = 8 // metadata length (4) + 'PAR1'

/** Copies [start, end) of `file` into `out` at the same offset. */
async function place(file: AsyncBuffer, out: Uint8Array, start: number, end: number): Promise<void> {
  out.set(new Uint8Array(await file.slice(start, end)), start)
}

/**
 * The file's bytes when the scan needs every top-level column it has (parquet-wasm decodes every
 * column its footer names): the footer read first, then the column chunks, every page CRC checked
 * (CorruptDataError); undefined when only some columns are needed (the caller then decodes rows:
 * their chunks alone are fetched).
 */
async function wholeFile(file: AsyncBuffer, columns: ReadonlySet<string>): Promise<Uint8Array | undefined> {
  const metadata = await readFooter(file)
  const fileColumns = new Set(metadata.row_groups.flatMap(g => g.columns.map(c => c.meta_data?.path_in_schema[0] ?? '')))
  if ([...fileColumns].some(name => !columns.has(name))) return undefined
  const tail = new DataView(await file.slice(file.byteLength - FOOTER_TAIL, file.byteLength))
  const footerStart = file.byteLength - FOOTER_TAIL - tail.getUint32(0, true)
  const bytes = new Uint8Array(file.byteLength)
  await Promise.all([place(file, bytes, 0, footerStart), place(file, bytes, footerStart, file.byteLength)])
  checkPageCrcs(bytes, metadata) // parquet-wasm does not check them: a damaged page would decode to wrong values
  return bytes
}

/**
 * Streams a Parquet file as canonical Arrow batches of `schema` (projected to `options.columns`;
 * schema columns missing from the file are all null). Matches columns by name (not field id).
 * @throws ParquetError naming `options.path` for an unreadable file or a value the Delta type cannot hold.
 */
export async function* readArrowBatches(file: AsyncBuffer, schema: StructType, options: ReadOptions = {}): AsyncGenerator<arrow.RecordBatch, void, undefined> {
  const wanted = options.columns === undefined ? schema.fields : schema.fields.filter(f => options.columns?.includes(f.name))
  const projected = storedOnly({ kind: 'struct', fields: wanted.map(f => ({ ...f, nullable: true })) }) as StructType
  const arrowSchema = deltaToArrowSchema({ kind: 'struct', fields: wanted.map(f => ({ ...f, metadata: {} })) })
  let table: arrow.Table | undefined
  try {
    const nested = projected.fields.some(f => f.type.kind !== 'primitive' && f.type.kind !== 'decimal')
    const bytes = nested ? undefined : await wholeFile(file, new Set(projected.fields.map(f => f.name)))
    if (bytes !== undefined) table = arrow.tableFromIPC(parquetWasm().readParquet(bytes, { batchSize: options.batchRows ?? 65_536 }).intoIPCStream())
  } catch (err) {
    throw inFile(toParquetError(err, 'cannot read Parquet file with parquet-wasm'), options.path)
  }
  if (table === undefined) {
    // Nested columns (arrow-rs and lake's readers differ on legacy list/map layouts) or a projection:
    // decoded to rows (only the needed chunks fetched), then laid out as Arrow.
    for await (const rows of readParquetRows(file, schema, options)) if (rows.length > 0) yield rowsToArrow(rows, { kind: 'struct', fields: wanted })
    return
  }
  for (const batch of table.batches) yield new arrow.RecordBatch(arrowSchema, canonical(batch, projected))
}

function canonical(batch: arrow.RecordBatch, schema: StructType): arrow.Data<arrow.Struct> {
  const prepared = canonicalBatch(batch, schema, { statsColumnLimit: 0 })
  prepared.stats() // the null checks
  return prepared.table.batches[0]?.data as arrow.Data<arrow.Struct>
}
