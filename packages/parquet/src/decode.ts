// readParquetRows: stream a Parquet file as Delta rows, one row group at a time, fetching only the footer
// and the column chunks it needs through ranged `slice` calls. Values are exact (see types.ts `Value`).

import { parquetRead } from 'hyparquet'
import type { FileMetaData, SchemaElement } from 'hyparquet'
import { compressors } from 'hyparquet-compressors'
import { checkAborted, withSignal } from './async-buffer.js'
import { setField } from './encode-values.js'
import { ParquetError, toParquetError } from './errors.js'
import { readFooter } from './metadata.js'
import { findChild, leavesOf, parquetTree, pathKey } from './parquet-tree.js'
import type { MatchBy, ParquetNode } from './parquet-tree.js'
import { planType } from './read-plan.js'
import type { ReadPlan } from './read-plan.js'
import { decodeValue } from './row-decoder.js'
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
}

interface ColumnPlan {
  readonly name: string
  readonly node: ParquetNode | undefined
  readonly plan: ReadPlan
}

type LeafData = (ArrayLike<unknown> | undefined)[]

const RAW_PARSERS = { timestampFromNanoseconds: (nanos: bigint): bigint => nanos }

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

async function readGroupLeaves(
  file: AsyncBuffer,
  metadata: FileMetaData,
  nodes: readonly ParquetNode[],
  leafCount: number,
  rows: { readonly start: number; readonly count: number },
): Promise<LeafData> {
  const indexOf = new Map(nodes.flatMap(leavesOf).map(leaf => [pathKey(leaf.path), leaf.leafStart]))
  const chunks = new Map<number, ArrayLike<unknown>[]>()
  await parquetRead({
    file,
    metadata,
    columns: [...new Set(nodes.map(n => n.element.name))],
    rowStart: rows.start,
    rowEnd: rows.start + rows.count,
    compressors,
    utf8: false,
    parsers: RAW_PARSERS,
    onPage: ({ pathInSchema, columnData }) => {
      const index = indexOf.get(pathKey(pathInSchema))
      if (index === undefined) return
      const parts = chunks.get(index)
      if (parts) parts.push(columnData)
      else chunks.set(index, [columnData])
    },
  })
  const data: LeafData = new Array(leafCount)
  for (const [index, parts] of chunks) {
    const joined = parts.length === 1 ? (parts[0] as ArrayLike<unknown>) : parts.flatMap(part => Array.from(part))
    if (joined.length !== rows.count) {
      throw new ParquetError(`corrupt Parquet column chunk: expected ${rows.count} rows, found ${joined.length}`, {
        context: { column: [...indexOf].find(([, i]) => i === index)?.[0].replaceAll('\u0000', '.') },
      })
    }
    data[index] = joined
  }
  return data
}

function decodeRows(columns: readonly ColumnPlan[], data: LeafData, from: number, to: number): Row[] {
  const rows: Row[] = []
  for (let r = from; r < to; r++) {
    const row: Record<string, Value> = {}
    for (const { name, node, plan } of columns) {
      let value: Value = null
      if (plan.kind === 'leaf') {
        // Fast path for flat columns: a leaf has no wrapper level of its own, so no scratch array is needed.
        const raw = data[plan.node.leafStart]?.[r]
        value = raw === null || raw === undefined ? null : plan.decode(raw)
      } else if (node !== undefined && plan.kind !== 'null') {
        const vals = new Array<unknown>(node.leafCount)
        for (let k = 0; k < node.leafCount; k++) vals[k] = data[node.leafStart + k]?.[r]
        value = decodeValue(plan, vals, node.leafStart)
      }
      setField(row, name, value)
    }
    rows.push(row)
  }
  return rows
}

/**
 * Stream the rows of a Parquet file as `Row` batches keyed by the schema's field names. Columns of the
 * schema missing from the file (also nested struct fields) read as null; file columns not in the schema
 * are not fetched. Only the footer and the needed column chunks are read, one row group at a time.
 * @throws ParquetError on a corrupt file or a column whose Parquet type cannot hold its Delta type;
 * LakeError `Aborted` when `signal` aborts.
 */
export async function* readParquetRows(file: AsyncBuffer, schema: StructType, options: ReadOptions = {}): AsyncGenerator<Row[], void, undefined> {
  const { signal, matchBy = 'name' } = options
  const batchRows = options.batchRows ?? Infinity
  if (!(batchRows >= 1)) throw new ParquetError(`expected batchRows >= 1, found ${batchRows}`)
  const source = withSignal(file, signal, 'readParquetRows')
  checkAborted(signal, 'readParquetRows')
  const metadata = await readFooter(source)
  const root = parquetTree(metadata.schema)
  const columns: ColumnPlan[] = selectFields(schema, options.columns).map(field => {
    const node = findChild(root, field, matchBy)
    return { name: field.name, node, plan: node ? planType(field.type, node, field.name, matchBy) : { kind: 'null' } }
  })
  const nodes = [...new Set(columns.filter(c => c.plan.kind !== 'null').map(c => c.node as ParquetNode))]
  const stripped = stripAnnotations(metadata)
  let start = 0
  for (const group of metadata.row_groups) {
    const count = Number(group.num_rows)
    checkAborted(signal, 'readParquetRows')
    let data: LeafData = []
    if (count > 0 && nodes.length > 0) {
      try {
        data = await readGroupLeaves(source, stripped, nodes, root.leafCount, { start, count })
      } catch (err) {
        throw toParquetError(err, `cannot read Parquet row group at row ${start}`)
      }
    }
    for (let from = 0; from < count; from += batchRows) yield decodeRows(columns, data, from, Math.min(count, from + batchRows))
    start += count
  }
}
