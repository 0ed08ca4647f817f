// One micro-batch of a table stream: planned from the source (the starting snapshot's files, then
// the commits after it) and read with `scan` over exactly its files (projection, filter, deletion
// vectors). A batch re-run after a crash is planned again between its recorded offsets.
//
//   for await (const chunk of batch.rows) sink(chunk) // batch.files, batch.startVersion, batch.endVersion

import type { Row, StructType } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import { scan } from '../../scan/scan.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { isBefore } from './plan-offset.js'
import type { StreamOffset, StreamPosition } from './plan-offset.js'
import { BatchPlanner, startingFiles } from './plan.js'
import type { ChangeOptions, Offer, SourceFile, TriggerLimits } from './plan.js'
import { commitsFrom } from './source.js'

/** A micro-batch: the files of source versions `startVersion..endVersion` after the previous batch. */
export interface MicroBatch {
  readonly batchId: number
  readonly startVersion: number
  readonly endVersion: number
  readonly files: readonly AddFile[]
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
  /** The last of `files`: the batch's end position. */
  readonly last: SourceFile
  /** A snapshot with the batch's metadata (another than `input.source` after an allowed schema change). */
  readonly source: Snapshot
  readonly latest: number
}

/** Plans the next batch after `input.after`; undefined when there is nothing to read. */
export async function planFiles(input: PlanInput, load: (version: number) => Promise<Snapshot>): Promise<PlannedFiles | undefined> {
  const { after, source, end } = input
  const planner = new BatchPlanner(after, source.metadata, input.changes, end === undefined ? input.limits : {})
  let offer: Offer = 'more'
  let latest = source.version
  if (after.isStartingVersion) offer = planner.offerFiles(startingFiles(source.files(), after.version))
  if (offer === 'more') {
    const upTo = Math.min(input.upTo ?? Number.POSITIVE_INFINITY, end?.version ?? Number.POSITIVE_INFINITY)
    const from = after.isStartingVersion ? after.version + 1 : after.version
    for await (const commit of commitsFrom(input.engine, from, { upTo, ...(input.signal === undefined ? {} : { signal: input.signal }) })) {
      latest = Math.max(latest, commit.latest)
      if (planner.offerCommit(commit.version, commit.actions) !== 'more') break
    }
  }
  const files = end === undefined ? planner.files : planner.files.filter((f) => !isBefore(end, f))
  const last = files.at(-1)
  if (last === undefined) return undefined
  const read = planner.metadata === source.metadata ? source : await load(last.version)
  return { files, last, source: read, latest }
}

/** The batch over planned files. */
export function microBatch(
  engine: Engine,
  batchId: number,
  planned: PlannedFiles,
  range: { readonly start: StreamOffset; readonly end: StreamOffset },
  read: { readonly columns?: readonly string[]; readonly filter?: string; readonly batchRows?: number; readonly signal?: AbortSignal },
): MicroBatch {
  const files = planned.files.map((f) => f.add)
  const snapshot = planned.source
  const source = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode, files: () => files }
  const rows: AsyncIterable<Row[]> = { [Symbol.asyncIterator]: () => scan(engine, source, read)[Symbol.asyncIterator]() }
  const schema = projectSchema(snapshot.schema, read.columns)
  return {
    batchId,
    startVersion: planned.files[0]?.version ?? range.end.version,
    endVersion: range.end.version,
    files,
    rows,
    schema,
    lag: Math.max(0, planned.latest - range.end.version),
    start: range.start,
    end: range.end,
    toArray: async () => {
      const out: Row[] = []
      for await (const chunk of rows) for (const row of chunk) out.push(row)
      return out
    },
  }
}

function projectSchema(schema: StructType, columns: readonly string[] | undefined): StructType {
  if (columns === undefined) return schema
  const fields = columns.map((c) => schema.fields.find((f) => f.name === c) ?? schema.fields.find((f) => f.name.toLowerCase() === c.toLowerCase()))
  return { ...schema, fields: fields.filter((f) => f !== undefined) }
}
