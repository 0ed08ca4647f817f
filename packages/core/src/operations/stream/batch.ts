// One micro-batch of a table stream: planned from the source (the starting snapshot's files, then
// the commits after it) and read with `scan` over exactly its files (projection, filter, deletion
// vectors). A batch re-run after a crash is planned again between its recorded offsets.
//
//   for await (const chunk of batch.rows) sink(chunk) // batch.files, batch.startVersion, batch.endVersion

import type { Row, StructType } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import { scan } from '../../scan/scan.js'
import { findField } from '../../schema/find-field.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { BASE_INDEX, END_INDEX, isBefore, nextCommitVersion } from './plan-offset.js'
import type { StreamOffset, StreamPosition } from './plan-offset.js'
import { BatchPlanner, startingFiles } from './plan.js'
import type { ChangeOptions, Offer, SourceFile, TriggerLimits } from './plan.js'
import { commitsFrom } from './source.js'

/** A micro-batch: the files of source versions `startVersion..endVersion` after the previous batch. */
export interface MicroBatch {
  readonly batchId: number
  readonly startVersion: number
  readonly endVersion: number
  /** The data files the batch reads (a change-feed batch: its snapshot files and the files its commits added). */
  readonly files: readonly AddFile[]
  /** True when the batch has nothing to read: it only moves the stream past commits that contribute nothing. */
  readonly empty: boolean
  /** The batch's rows in chunks (read on iteration; iterable again). */
  readonly rows: AsyncIterable<Row[]>
  /** The schema the rows have (the source schema at `endVersion`, projected to `columns`). */
  readonly schema: StructType
  /** Source versions committed after `endVersion` when the batch was planned. */
  readonly lag: number
  readonly start: StreamOffset
  readonly end: StreamOffset
  /** Every row of the batch. */
  toArray(): Promise<Row[]>
}

/** What planning a batch needs. */
export interface PlanInput {
  readonly engine: Engine
  /** A snapshot holding the metadata in effect at `after` (and the files, for starting positions). */
  readonly source: Snapshot
  readonly after: StreamOffset
  readonly changes: ChangeOptions
  readonly limits: TriggerLimits
  /** The last version to read (availableNow); undefined: every listed commit. */
  readonly upTo?: number
  /** Re-run of a recorded batch: only positions up to this one. */
  readonly end?: StreamPosition
  readonly signal?: AbortSignal
}

/** A planned batch before it is read. */
export interface PlannedFiles {
  readonly files: readonly SourceFile[]
  /** The batch's end position: its last file, or `END_INDEX` of the last commit it read whole. */
  readonly end: StreamPosition
  /** The first source version the batch covers. */
  readonly startVersion: number
  /** A snapshot with the batch's metadata (another than `input.source` after an allowed schema change). */
  readonly source: Snapshot
  readonly latest: number
}

/**
 * Plans the next batch after `input.after`; undefined when there is nothing to read. When every listed
 * commit was taken whole, the batch ends after the last one (`END_INDEX`), so commits that contribute
 * nothing (skipped, compaction, metadata) are read once: alone, they make an empty batch.
 */
export async function planFiles(input: PlanInput, load: (version: number) => Promise<Snapshot>): Promise<PlannedFiles | undefined> {
  const { after, source, end } = input
  const planner = new BatchPlanner(after, source.metadata, input.changes, end === undefined ? input.limits : {})
  let offer: Offer = 'more'
  let latest = source.version
  let first: number | undefined
  let whole: number | undefined
  if (after.isStartingVersion) offer = planner.offerFiles(startingFiles(source.files(), after.version))
  if (offer === 'more') {
    for await (const commit of commitsFrom(input.engine, nextCommitVersion(after), commitRange(input))) {
      latest = Math.max(latest, commit.latest)
      first ??= commit.version
      offer = planner.offerCommit(commit.version, commit.actions)
      if (offer !== 'more') break
      whole = commit.version
    }
  }
  const files = end === undefined ? planner.files : planner.files.filter((f) => !isBefore(end, f))
  // Alone, commits read whole end an (empty) batch only when it passes a commit not started before.
  const passed = whole !== undefined && (files.length > 0 || whole > after.version || (!after.isStartingVersion && after.index === BASE_INDEX))
  const last = offer === 'more' && whole !== undefined && passed ? { version: whole, index: END_INDEX, isStartingVersion: false } : files.at(-1)
  if (last === undefined) return undefined
  const read = planner.metadata === source.metadata ? source : await load(last.version)
  return { files, end: last, startVersion: files[0]?.version ?? first ?? last.version, source: read, latest }
}

/** The commits a batch may read: up to `upTo` (availableNow) and a replayed batch's end. */
export function commitRange(input: PlanInput): { readonly upTo: number; readonly signal?: AbortSignal } {
  const upTo = Math.min(input.upTo ?? Number.POSITIVE_INFINITY, input.end?.version ?? Number.POSITIVE_INFINITY)
  return { upTo, ...(input.signal === undefined ? {} : { signal: input.signal }) }
}

/** What a planner decides of a batch; `range` the offsets it covers. */
export interface BatchContent {
  readonly files: readonly AddFile[]
  readonly empty: boolean
  readonly rows: AsyncIterable<Row[]>
  readonly schema: StructType
  readonly startVersion: number
  readonly latest: number
}

/** The read options of a batch. */
export interface BatchRead {
  readonly columns?: readonly string[]
  readonly filter?: string
  readonly batchRows?: number
  readonly signal?: AbortSignal
}

/** A micro-batch of `content` over `range`. */
export function makeBatch(batchId: number, content: BatchContent, range: { readonly start: StreamOffset; readonly end: StreamOffset }): MicroBatch {
  const { rows } = content
  return {
    batchId,
    startVersion: content.startVersion,
    endVersion: range.end.version,
    files: content.files,
    empty: content.empty,
    rows,
    schema: content.schema,
    lag: Math.max(0, content.latest - range.end.version),
    start: range.start,
    end: range.end,
    toArray: async () => {
      const out: Row[] = []
      for await (const chunk of rows) for (const row of chunk) out.push(row)
      return out
    },
  }
}

/** The batch over planned files. */
export function microBatch(engine: Engine, batchId: number, planned: PlannedFiles, range: { readonly start: StreamOffset; readonly end: StreamOffset }, read: BatchRead): MicroBatch {
  const files = planned.files.map((f) => f.add)
  const snapshot = planned.source
  const source = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode, files: () => files }
  const rows: AsyncIterable<Row[]> = { [Symbol.asyncIterator]: () => scan(engine, source, read)[Symbol.asyncIterator]() }
  const schema = projectSchema(snapshot.schema, read.columns)
  return makeBatch(batchId, { files, empty: files.length === 0, rows, schema, startVersion: planned.startVersion, latest: planned.latest }, range)
}

/** `schema` cut to `columns` (case-insensitive), in their order. */
export function projectSchema(schema: StructType, columns: readonly string[] | undefined): StructType {
  if (columns === undefined) return schema
  const fields = columns.map((c) => findField(schema.fields, c))
  return { ...schema, fields: fields.filter((f) => f !== undefined) }
}
