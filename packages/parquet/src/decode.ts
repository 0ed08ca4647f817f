// readParquetRows: stream a Parquet file as Delta rows, one row group at a time, fetching only the footer
// and the column chunks it needs through ranged `slice` calls. Values are exact (see types.ts `Value`).

import { parquetSchema } from 'hyparquet'
import type { FileMetaData, RowGroup, SchemaElement } from 'hyparquet'
import { checkAborted, withSignal } from './async-buffer.js'
import { inFile, ParquetError, toParquetError } from './errors.js'
import { readFooter } from './metadata.js'
import { objectTemplate, setField } from './object-template.js'
import { decodeColumnChunks, fetchColumnChunks } from './column-chunks.js'
import type { FetchedChunks } from './column-chunks.js'
import { LevelAssembler } from './level-assembler.js'
import type { Cursor, ValueReader } from './level-assembler.js'
import { findChild, parquetTree } from './parquet-tree.js'
import type { MatchBy, ParquetNode } from './parquet-tree.js'
import { planType } from './read-plan.js'
import { safeLongDecoder } from './safe-longs.js'
import type { ReadPlan } from './read-plan.js'
import type { AsyncBuffer, Row, StructField, StructType, Value } from './types.js'

/** Options of {@link readParquetRows}. */
export interface ReadOptions {
  /** Top-level schema field names to read (others are left out of the rows); default all. */
  readonly columns?: readonly string[]
  /** Find fields by name (default) or by Parquet field_id = `delta.columnMapping.id` (column mapping id mode). */
  readonly matchBy?: MatchBy
  /** Maximum rows per yielded batch; default one batch per row group. */
  readonly batchRows?: number
  readonly signal?: AbortSignal
  /** The file's name (store key or URI) for error messages and `context.path`; errors name it when given. */
  readonly path?: string
  /**
   * Top-level `long` columns read safe integers as numbers and only larger values as bigints (default
   * false: every `long` is a bigint). For callers that compare keys as numbers: no bigint is made per row.
   */
  readonly safeLongs?: boolean
}

interface ColumnPlan {
  readonly name: string
  readonly node: ParquetNode | undefined
  readonly plan: ReadPlan
}

/** The footer with every leaf's annotations removed, so hyparquet hands back raw physical values. */
function stripAnnotations(metadata: FileMetaData): FileMetaData {
  const schema = metadata.schema.map((element): SchemaElement => {
    if (element.type === undefined) return element
    const { converted_type: _c, logical_type: _l, ...rest } = element
    return rest
  })
  return { ...metadata, schema }
}

function selectFields(schema: StructType, columns: readonly string[] | undefined): readonly StructField[] {
  if (columns === undefined) return schema.fields
  return columns.map(name => {
    const field = schema.fields.find(f => f.name === name)
    if (!field) {
      throw new ParquetError(`expected a column of the schema, found '${name}' (schema has: ${schema.fields.map(f => f.name).join(', ')})`, {
        context: { column: name },
      })
    }
    return field
  })
}

interface ColumnReader {
  readonly name: string
  readonly read: ValueReader
  /** The cursor slot of a top-level primitive column (one leaf, no repetition): read without per-value calls. */
  readonly leaf: number | undefined
}

function decodeRows(columns: readonly ColumnReader[], cursors: readonly Cursor[], count: number): Row[] {
  const rows = new Array<Row>(count)
  const template = objectTemplate(columns.map(c => c.name))
  for (let r = 0; r < count; r++) {
    if (template === undefined) {
      const row: Record<string, Value> = {}
      for (const { name, read } of columns) setField(row, name, read(cursors))
      rows[r] = row
    } else {
      const row: Record<string, Value> = { ...template }
      for (const { name, read } of columns) row[name] = read(cursors)
      rows[r] = row
    }
  }
  return rows
}

/**
 * Stream the rows of a Parquet file as `Row` batches keyed by the schema's field names. Columns of the
 * schema missing from the file (also nested struct fields) read as null; file columns not in the schema
 * are not fetched. Only the footer and the needed column chunks are read, one row group at a time.
 * @throws ParquetError on an unreadable file or a column whose Parquet type cannot hold its Delta type;
 * CorruptDataError (`CorruptData`) on a page that fails its CRC-32 or a page header or footer whose counts,
 * sizes or paths disagree (both name `options.path` in the message and `context.path`, and the column in
 * `context.column` when known);
 * LakeError `Aborted` when `signal` aborts.
 */
export async function* readParquetRows(file: AsyncBuffer, schema: StructType, options: ReadOptions = {}): AsyncGenerator<Row[], void, undefined> {
  try {
    yield* readRows(file, schema, options, decodeRows)
  } catch (err) {
    throw inFile(err, options.path)
  }
}

/** A batch of `readParquetColumns`: per requested column, one value per row (null for SQL NULL). */
export interface ColumnBatch {
  readonly length: number
  /** In the order of `options.columns` (default: the schema's fields). */
  readonly columns: readonly (readonly Value[])[]
}

function decodeColumns(columns: readonly ColumnReader[], cursors: readonly Cursor[], count: number): ColumnBatch {
  return {
    length: count,
    columns: columns.map(({ read, leaf }) => {
      if (leaf !== undefined) return leafValues(cursors[leaf] as Cursor, count)
      const values = new Array<Value>(count)
      for (let r = 0; r < count; r++) values[r] = read(cursors)
      return values
    }),
  }
}

/** The next `count` values of a flat leaf column (what its `ValueReader` would return one by one). */
function leafValues(c: Cursor, count: number): Value[] {
  const { def, maxDef, values } = c.data
  const out = new Array<Value>(count)
  for (let r = 0; r < count; r++) {
    const present = def === undefined || def[c.pos + r] === maxDef
    out[r] = present ? ((values[c.vpos++] as Value | undefined) ?? null) : null
  }
  c.pos += count
  return out
}

/**
 * `readParquetRows` column by column: the same values, checks and errors, as one array per column and
 * batch instead of row objects (what a columnar predicate or an aggregate over a few columns needs).
 * @throws as `readParquetRows`.
 */
export async function* readParquetColumns(file: AsyncBuffer, schema: StructType, options: ReadOptions = {}): AsyncGenerator<ColumnBatch, void, undefined> {
  try {
    yield* readRows(file, schema, options, decodeColumns)
  } catch (err) {
    throw inFile(err, options.path)
  }
}

type Decode<T> = (readers: readonly ColumnReader[], cursors: readonly Cursor[], count: number) => T

async function* readRows<T>(file: AsyncBuffer, schema: StructType, options: ReadOptions, decode: Decode<T>): AsyncGenerator<T, void, undefined> {
  const { signal, matchBy = 'name' } = options
  const batchRows = options.batchRows ?? Infinity
  if (!(batchRows >= 1)) throw new ParquetError(`expected batchRows >= 1, found ${batchRows}`)
  const source = withSignal(file, signal, 'readParquetRows')
  checkAborted(signal, 'readParquetRows')
  const metadata = await readFooter(source)
  const root = parquetTree(metadata.schema)
  const columns: ColumnPlan[] = selectFields(schema, options.columns).map(field => {
    const node = findChild(root, field, matchBy)
    const plan: ReadPlan = node ? planType(field.type, node, field.name, matchBy) : { kind: 'null' }
    const safe = options.safeLongs === true && plan.kind === 'leaf' && field.type.kind === 'primitive' && field.type.name === 'long'
    return { name: field.name, node, plan: safe ? { ...plan, decode: safeLongDecoder(field.name, plan.node.element) } : plan }
  })
  const assembler = new LevelAssembler(root)
  const readers: ColumnReader[] = columns.map(c => {
    const read = assembler.compile(c.plan)
    return { name: c.name, read, leaf: c.plan.kind === 'leaf' ? assembler.requests.length - 1 : undefined }
  })
  const tree = parquetSchema(stripAnnotations(metadata))
  const groups = metadata.row_groups
  const fetchGroup = (group: RowGroup | undefined): Promise<FetchedChunks> | undefined => {
    if (group === undefined || Number(group.num_rows) === 0 || assembler.requests.length === 0) return undefined
    const fetching = fetchColumnChunks(source, group, assembler.requests)
    void fetching.catch(() => undefined) // awaited below; this only marks a prefetch never reached (early exit) as handled
    return fetching
  }
  let next = fetchGroup(groups[0])
  let start = 0
  for (let g = 0; g < groups.length; g++) {
    const count = Number((groups[g] as RowGroup).num_rows)
    checkAborted(signal, 'readParquetRows')
    let cursors: Cursor[] = []
    const fetching = next
    next = fetchGroup(groups[g + 1]) // the next row group's bytes arrive while this one is decoded and consumed
    if (fetching !== undefined) {
      try {
        cursors = LevelAssembler.cursors(decodeColumnChunks(tree, await fetching, assembler.requests))
      } catch (err) {
        throw toParquetError(err, `cannot read Parquet row group at row ${start}`)
      }
    }
    for (let from = 0; from < count; from += batchRows) yield decode(readers, cursors, Math.min(count, from + batchRows) - from)
    LevelAssembler.checkConsumed(cursors, assembler.requests, count)
    start += count
  }
}
