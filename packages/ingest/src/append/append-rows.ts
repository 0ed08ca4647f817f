// appendRows: parallel chunked append of any row input to a Delta table in one commit. Chunks are
// coerced and encoded in the worker pool, uploaded concurrently, committed once.

import { inferSchema } from '@lake/core/internal'
import type { TableLocation } from '@lake/core'
import type { StructType } from '@lake/parquet'
import { chunkRows } from './chunk-rows.js'
import type { RowSource } from './chunk-rows.js'
import { resolveRows } from '../sources/exact-numbers.js'
import { abortError } from './abort-error.js'
import type { AppendOptions, AppendResult } from './append-types.js'
import { runAppend } from './run-append.js'

/**
 * Appends rows to a Delta table in **one** commit; a missing table is created by that commit
 * (version 0 holds protocol, metadata, the data and the txn). Every row is checked against the
 * table schema (`SchemaError` on the first bad row). Values may be `JsonNumber`s (exact JSON
 * number text, from `parseJsonExact` or core's `parseLosslessJson`) in plain objects and arrays:
 * each becomes its column's exact value (bigint for long, the digits for decimal). A failure
 * anywhere fails the whole append and commits nothing; the files it uploaded are deleted (best
 * effort), so a failed first write leaves nothing at the path. An existing table is checked before
 * any file is written: lake must support its writer features, and `partitionBy` (when given) must
 * be its partition columns.
 * @param rows - An array, iterable, async iterable or object-mode Readable; read once, lazily.
 * @throws SchemaError, CommitConflictError, StorageError, ProtocolError `UnsupportedFeature`,
 *   IngestError `Aborted` / `InvalidArgument` (partitionBy differs from the table's).
 */
export async function appendRows(location: TableLocation, rows: RowSource<unknown>, options: AppendOptions = {}): Promise<AppendResult> {
  return runAppend(location, options, 'appendRows', async (pipeline, known, signal) => {
    let count = 0
    let schema: StructType | undefined = known
    for await (const raw of chunkRows(rows, { rows: options.chunkRows, bytes: options.chunkBytes })) {
      if (signal?.aborted) throw abortError(signal, 'appendRows')
      // A new table's schema is inferred before numbers are resolved: `JsonNumber`s tell doubles written as `5.0`.
      schema ??= inferSchema(raw)
      const chunk = resolveRows(raw, schema, count)
      await pipeline.push(chunk, schema, count)
      count += chunk.length
    }
    return { rows: count, schema }
  })
}
