// When a copy-on-write rewrite runs without row objects (docs/row-level-plan.md §3): the predicate runs
// on the columnar matcher (columnar-match.ts), every data column is a flat type Arrow takes by position
// (numbers, booleans, strings, dates, timestamps), no column mapping, and the engine's codec reads Arrow
// batches (`readBatches`) and encodes them (`encodeBatch`). Anything else keeps the row route. This module
// loads no Arrow code: the rewrite itself (columnar-rewrite.ts) is loaded with `import()` when it runs.

import type { ArrowRecordBatch, ParquetCodec } from '@lake/parquet'
import type { AddFile } from '../actions/types.js'
import { engineCodec } from '../engine.js'
import type { Engine } from '../engine.js'
import type { BoundPredicate } from '../expr/ast.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import type { ColumnarRewritten, CopyOnWriteOptions } from './columnar-rewrite.js'
import { columnarMatcher } from './columnar-match.js'

/** Delta primitive types whose Arrow columns `takeColumn` (@lake/parquet) takes rows of. */
const TAKEN: ReadonlySet<string> = new Set(['byte', 'short', 'integer', 'long', 'float', 'double', 'boolean', 'string', 'date', 'timestamp', 'timestamp_ntz'])

type RouteSnapshot = Pick<Snapshot, 'schema' | 'partitionColumns' | 'columnMappingMode' | 'config' | 'files'>

/** Rewrites the candidate files of a copy-on-write operation column by column. */
export type CopyOnWriteRewrite = (files: readonly AddFile[], options: CopyOnWriteOptions) => Promise<ColumnarRewritten>

/**
 * The columnar copy-on-write rewrite of the rows `predicate` is TRUE on, or undefined when only the
 * row route can run it (see the module comment).
 */
export async function copyOnWriteRoute(engine: Engine, snapshot: RouteSnapshot, predicate: BoundPredicate): Promise<CopyOnWriteRewrite | undefined> {
  const codec = engineCodec(engine)
  if (codec.readBatches === undefined || snapshot.columnMappingMode !== 'none') return undefined
  const data = snapshot.schema.fields.filter((f) => !snapshot.partitionColumns.includes(f.name))
  if (data.length === 0 || data.some((f) => f.type.kind !== 'primitive' || !TAKEN.has(f.type.name))) return undefined
  const matcher = columnarMatcher(engine, snapshot, predicate)
  if (matcher === undefined) return undefined
  const { rewriteColumnar } = await import('./columnar-rewrite.js')
  // Loading the Arrow modules binds the default codec's encodeBatch; a codec without one keeps the row route.
  const { readBatches, encodeBatch } = codec as ParquetCodec<ArrowRecordBatch>
  if (readBatches === undefined || encodeBatch === undefined) return undefined
  const columnar = { read: readBatches.bind(codec), encode: encodeBatch.bind(codec) }
  return (files, options) => rewriteColumnar(engine, snapshot, matcher, columnar, files, options)
}
