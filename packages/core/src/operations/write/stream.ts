// writeDelta over an iterable or async iterable: rows are read in bounded chunks, each chunk is
// checked and written to data files as it comes, and only the add actions are held until the one commit.
//
//   await writeDelta('./events', readJsonLines(file), { mode: 'append', maxRowsPerFile: 1_000_000 })  // any (async) iterable

import type { StructType } from '@lake/parquet'
import { serializeSchema } from '../../schema/serialize-schema.js'
import { checkArrowText, deltaSchemaOfArrow, isArrowBatch, rowsOfBatch } from '../../columns/arrow-input.js'
import type { AddFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import { SchemaError, WriteError } from '../../errors.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import type { CommitConflictError } from '../../transaction/commit-conflict-error.js'
import { isPlainObject } from '../../rows/compile-coercer.js'
import { inferSchema } from '../../rows/infer-schema.js'
import { commitWrite } from './execute.js'
import { discardAdds, provesNotCommitted } from '../../files/discard-files.js'
import { concurrentCreateError, isLostCreateRace } from './concurrent-create.js'
import { estimateBytes } from '../../files/estimate-bytes.js'
import { mergeIntoPlan } from './plan.js'
import { checkRows, fileOptions, prepareWrite } from './prepare.js'
import type { PreparedWrite } from './prepare.js'
import { tryLoadSnapshot } from '../../snapshot/load-snapshot.js'
import { RollingFileWriter } from '../../files/rolling-file-writer.js'
import { positiveInteger } from '../../files/write-data-files.js'
import type { WriteOptions, WriteResult } from './options.js'

/** Most rows read from the input before they are checked and handed to the file writer. */
export const STREAM_CHUNK_ROWS = 65_536 // rows
/** Most estimated bytes read from the input before they are checked and handed to the file writer. */
export const STREAM_CHUNK_BYTES = 64 << 20 // 64 MiB

/** What the chunk loop wrote: the adds, the row count, and the plan as widened by later chunks. */
interface StreamWritten {
  readonly prepared: PreparedWrite
  readonly adds: readonly AddFile[]
  readonly numRows: number
}

/**
 * The streaming path of `writeDelta` (see its doc). The plan (and an inferred schema) comes from
 * the first chunk; with schemaMode 'merge' and no `schema` option, later chunks may add columns.
 */
export async function writeStream(engine: Engine, rows: Iterable<unknown> | AsyncIterable<unknown>, options: WriteOptions): Promise<WriteResult> {
  const maxRows = Math.min(STREAM_CHUNK_ROWS, positiveInteger('maxRowsPerFile', options.maxRowsPerFile ?? STREAM_CHUNK_ROWS))
  const maxBytes = Math.min(STREAM_CHUNK_BYTES, positiveInteger('targetFileBytes', options.targetFileBytes ?? STREAM_CHUNK_BYTES))
  const arrow: { schema?: StructType } = {}
  const chunks = readChunks(rows, maxRows, maxBytes, arrow)
  try {
    const first = await chunks.next()
    // Record batches carry their schema: it is the new table's unless `schema` is given.
    if (arrow.schema !== undefined && options.schema === undefined) options = { ...options, schema: arrow.schema }
    const snapshot = await tryLoadSnapshot(engine, options.signal)
    const prepared = prepareWrite(engine, snapshot, first.done === true ? [] : first.value, options)
    if (prepared.kind === 'done') return prepared.result
    const written = await writeChunks(engine, snapshot, prepared, chunks, options)
    try {
      const result = await commitOrRecommit(engine, snapshot, written, options)
      if (result.status === 'skipped') await discardAdds(engine, written.adds)
      return result
    } catch (err) {
      if (provesNotCommitted(err)) await discardAdds(engine, written.adds)
      throw err
    }
  } finally {
    // Stops the input early (ignore, skipped txn, a failed chunk): its `finally` blocks run.
    await chunks.return(undefined)
  }
}

/** Commits the written files; a lost create is redone against the winner's table. */
async function commitOrRecommit(engine: Engine, snapshot: Snapshot | undefined, written: StreamWritten, options: WriteOptions): Promise<WriteResult> {
  try {
    return await commitWrite(engine, snapshot, written.prepared, written.adds, written.numRows, options)
  } catch (err) {
    if (snapshot !== undefined || !isLostCreateRace(err)) throw err
    return await recommitAfterLostCreate(engine, written, options, err)
  }
}

/** Checks and writes the first chunk (already in `prepared`) and every later one; returns the adds. */
async function writeChunks(engine: Engine, snapshot: Snapshot | undefined, prepared: PreparedWrite, chunks: AsyncGenerator<unknown[]>, options: WriteOptions): Promise<StreamWritten> {
  const writer = new RollingFileWriter(engine, fileOptions(snapshot, prepared, options))
  let current: PreparedWrite = { ...prepared, rows: [] }
  let numRows = prepared.rows.length
  try {
    await writer.write(prepared.rows)
    for await (const chunk of chunks) {
      options.signal?.throwIfAborted()
      current = await widenSchema(snapshot, current, chunk, writer, options)
      const rows = checkLaterRows(snapshot, current, chunk, numRows, options)
      await writer.write(rows)
      numRows += rows.length
    }
    return { prepared: current, adds: await writer.finish(), numRows }
  } catch (err) {
    await writer.abort()
    throw err
  }
}

/**
 * `checkRows` of a chunk after the first. When the table is new and its schema was inferred from the
 * first chunk (files of which are written already), a mismatch says so and how to declare the schema.
 */
function checkLaterRows(snapshot: Snapshot | undefined, prepared: PreparedWrite, chunk: readonly unknown[], firstRow: number, options: WriteOptions): ReturnType<typeof checkRows> {
  try {
    return checkRows(snapshot, prepared, chunk, firstRow)
  } catch (err) {
    if (snapshot !== undefined || options.schema !== undefined || !(err instanceof SchemaError) || err.code !== 'SchemaMismatch') throw err
    const hint =
      `\nHelp: the new table's schema was inferred from the first ${firstRow} rows; nothing was committed. ` +
      'Pass the schema (writeDelta option `schema`, or create the table first: `lake create --schema`) to write values a prefix does not show, e.g. doubles after integers'
    throw new SchemaError('SchemaMismatch', `${err.message}${hint}`, { context: err.context, cause: err })
  }
}

/** With schemaMode 'merge' (and no `schema` option), merges the columns a later chunk brings into the plan. */
async function widenSchema(snapshot: Snapshot | undefined, prepared: PreparedWrite, chunk: readonly unknown[], writer: RollingFileWriter, options: WriteOptions): Promise<PreparedWrite> {
  if (options.schemaMode !== 'merge' || options.schema !== undefined) return prepared
  // A row that is not an object is reported by `checkRows`, with its index in the whole input.
  if (!chunk.every(isPlainObject)) return prepared
  const plan = mergeIntoPlan(snapshot, prepared.plan, inferSchema(chunk))
  if (plan === prepared.plan) return prepared
  // Files already written keep the narrower schema: the new columns read as null in them.
  await writer.changeSchema(plan.schema)
  return { ...prepared, plan }
}

/**
 * The create lost the race for version 0. The input cannot be read again, so the files already
 * written are committed into the winner's table when its mode allows it (append, overwrite) and the
 * table has exactly the schema, partitioning and constraints the files were written and checked with.
 * @throws WriteError `TableExists` otherwise, with the reason as its cause.
 */
async function recommitAfterLostCreate(engine: Engine, written: StreamWritten, options: WriteOptions, lost: CommitConflictError): Promise<WriteResult> {
  const created = await loadSnapshot(engine, options.signal === undefined ? {} : { signal: options.signal })
  let redo: PreparedWrite
  try {
    const again = prepareWrite(engine, created, [], options)
    if (again.kind === 'done') return again.result
    checkSameTable(created, written.prepared)
    redo = again
  } catch (cause) {
    throw concurrentCreateError(created, lost, cause)
  }
  return commitWrite(engine, created, redo, written.adds, written.numRows, options)
}

function checkSameTable(created: Snapshot, written: PreparedWrite): void {
  const { plan } = written
  const columns = plan.partitionColumns
  if (columns.length !== created.partitionColumns.length || columns.some((c, i) => c !== created.partitionColumns[i])) {
    throw new WriteError('InvalidArgument', `the data files were written partitioned by [${columns.join(', ')}], found the table partitioned by [${created.partitionColumns.join(', ')}]`)
  }
  const ours = serializeSchema(plan.schema)
  const theirs = serializeSchema(created.schema)
  if (ours !== theirs) throw new SchemaError('SchemaMismatch', `the data files were written with schema ${ours}, found the table's schema ${theirs}`)
  const constraints = (config: Readonly<Record<string, string>>): string =>
    JSON.stringify(Object.entries(config).filter(([k]) => k.startsWith('delta.constraints.')).sort(([a], [b]) => (a < b ? -1 : 1)))
  const checked = constraints(plan.metadata?.configuration ?? {})
  const found = constraints(created.metadata.configuration)
  if (checked !== found) throw new WriteError('ConstraintViolation', `the rows were checked against CHECK constraints ${checked}, found the table's constraints ${found}`)
}

/**
 * Groups the input into chunks of at most `maxRows` rows and about `maxBytes` estimated bytes. An
 * Arrow `RecordBatch` item stands for its rows; the first one's schema is kept in `arrow.schema`.
 */
async function* readChunks(rows: Iterable<unknown> | AsyncIterable<unknown>, maxRows: number, maxBytes: number, arrow: { schema?: StructType } = {}): AsyncGenerator<unknown[]> {
  let chunk: unknown[] = []
  let bytes = 0
  let seen = 0
  for await (const item of rows) {
    const batch = isArrowBatch(item) ? item : undefined
    if (batch !== undefined) {
      arrow.schema ??= await deltaSchemaOfArrow(batch)
      await checkArrowText([batch], seen)
    }
    for (const row of batch === undefined ? [item] : await rowsOfBatch(batch)) {
      seen++
      chunk.push(row)
      bytes += estimateBytes(row)
      if (chunk.length >= maxRows || bytes >= maxBytes) {
        yield chunk
        chunk = []
        bytes = 0
      }
    }
  }
  if (chunk.length > 0) yield chunk
}
