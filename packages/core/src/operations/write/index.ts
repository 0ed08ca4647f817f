// writeDelta: the write entry point (delta-rs `write_deltalake` in TypeScript). Plans from the
// latest snapshot, checks rows, writes data files (streamed for iterables), then commits once.
//
//   await writeDelta('s3://lake/events', rows, { mode: 'append', partitionBy: ['day'] })
//   await table.write(rows, { mode: 'overwrite', replaceWhere: "day = '2024-05-01'" })  // DeltaTable method

import type { Engine } from '../../engine.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { commitWrite } from './execute.js'
import { concurrentCreateError, isLostCreateRace } from './concurrent-create.js'
import { validateWriteOptions } from './plan.js'
import { fileOptions, prepareWrite } from './prepare.js'
import type { Prepared, PreparedWrite } from './prepare.js'
import { resolveTable } from '../../engine.js'
import { tryLoadSnapshot } from '../../snapshot/load-snapshot.js'
import type { TableLocation } from '../../engine.js'
import { writeStream } from './stream.js'
import { writeDataFiles } from '../../files/write-data-files.js'
import { WriteError } from '../../errors.js'
import type { WriteOptions, WriteResult } from './options.js'
import { isArrowData } from '../../columns/arrow-input.js'
import type { ArrowData } from '../../columns/arrow-input.js'
import { writeArrow } from './arrow.js'

/**
 * Writes rows to a Delta table, creating it when it does not exist, in one commit.
 * A failed write leaves the table exactly as it was (files written before a failure are orphans,
 * removed only by vacuum).
 *
 * An array is checked whole against the schema before any file is written. An iterable or async
 * iterable is streamed with bounded memory: rows are read in chunks (at most 65,536 rows,
 * `maxRowsPerFile` or about 64 MiB), each chunk is checked (schema, replaceWhere, constraints) and
 * buffered per partition, and a data file is uploaded as soon as it reaches its target; only the
 * add actions are held until the commit. A bad row late in the stream fails the write after some
 * files were uploaded, still before the commit. With a stream, a new table's schema (when no
 * `schema` is given) and schemaMode 'merge' are inferred from the first chunk: later rows must fit
 * it, except that with schemaMode 'merge' a later chunk may add columns; the commit then carries
 * the union schema, and files written before the new columns appeared read them as null.
 *
 * Arrow data: an Arrow `Table` or `RecordBatch` is written column by column through the codec's
 * `encodeBatch` (see `writeArrow`); an (async) iterable may yield `RecordBatch`es, whose rows are
 * streamed. Without a `schema` option, the Arrow schema is the new table's (exact Delta types).
 *
 * When another writer creates the table first (both raced for version 0), the write is redone
 * against the table it created, as its mode says: `append`/`overwrite` write into it when the rows
 * fit its schema and partitioning, `ignore` skips, `error` fails with `TableExists`. A stream
 * cannot be read again: its written files are committed into the winner's table only when it has
 * exactly the schema, partitioning and constraints they were written with.
 * @throws SchemaError, WriteError, ProtocolError, CommitConflictError, StorageError.
 */
export async function writeDelta(location: TableLocation, rows: readonly unknown[] | Iterable<unknown> | AsyncIterable<unknown> | ArrowData, options: WriteOptions = {}): Promise<WriteResult> {
  validateWriteOptions({ ...options, mode: options.mode ?? 'error' })
  const engine = await resolveTable(location, options.storage)
  if (isArrowData(rows)) return writeArrow(engine, rows, options, writeArray)
  const isIterable = typeof rows === 'object' && rows !== null && (Symbol.asyncIterator in rows || Symbol.iterator in rows)
  if (!isIterable) {
    throw new WriteError('InvalidArgument', `rows must be an array, an iterable or an async iterable of row objects, found ${rows === null ? 'null' : typeof rows}`)
  }
  return Array.isArray(rows) ? writeArray(engine, rows, options) : writeStream(engine, rows, options)
}

/** The array path: every row is checked before any file is written; a lost create is redone with the rows. */
async function writeArray(engine: Engine, input: readonly unknown[], options: WriteOptions): Promise<WriteResult> {
  const snapshot = await tryLoadSnapshot(engine, options.signal)
  const prepared = prepareWrite(engine, snapshot, input, options)
  if (prepared.kind === 'done') return prepared.result
  if (snapshot !== undefined) return executeWrite(engine, snapshot, prepared, options)
  try {
    return await executeWrite(engine, undefined, prepared, options)
  } catch (err) {
    if (!isLostCreateRace(err)) throw err
    // The data files of the failed create stay as orphans (vacuum removes them); redo against the new table.
    const created = await loadSnapshot(engine, options.signal === undefined ? {} : { signal: options.signal })
    let redo: Prepared
    try {
      redo = prepareWrite(engine, created, input, options)
    } catch (cause) {
      throw concurrentCreateError(created, err, cause)
    }
    return redo.kind === 'done' ? redo.result : executeWrite(engine, created, redo, options)
  }
}

/** Writes the data files of a prepared write and commits them with the OCC loop. */
async function executeWrite(engine: Engine, snapshot: Snapshot | undefined, prepared: PreparedWrite, options: WriteOptions): Promise<WriteResult> {
  const adds = await writeDataFiles(engine, prepared.rows, fileOptions(snapshot, prepared, options))
  return commitWrite(engine, snapshot, prepared, adds, prepared.rows.length, options)
}
