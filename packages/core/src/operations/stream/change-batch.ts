// One micro-batch of a change-feed stream (`readChangeFeed`): planned by `ChangeBatchPlanner` from the
// starting snapshot (its files as `insert` rows) and the whole commits after the previous batch, and
// read by the change data feed reader (operations/changes/) with `_change_type`, `_commit_version`
// and `_commit_timestamp`, projected and filtered like `table.changes()` (the reader comes through `port`).
//
//   const planned = await planChangeBatch(input, load, port) // undefined: nothing new
//   const batch = changeMicroBatch(engine, 3, planned, range, { columns: ['id', '_change_type'] })

import type { Row, StructType } from '@lake/parquet'
import type { Engine } from '../../engine.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { commitRange, makeBatch, projectSchema } from './batch.js'
import type { BatchRead, MicroBatch, PlanInput } from './batch.js'
import type { ChangeFeedPort, FeedPlan } from './change-feed-port.js'
import { ChangeBatchPlanner } from './change-plan.js'
import { isBefore, nextCommitVersion } from './plan-offset.js'
import type { StreamOffset, StreamPosition } from './plan-offset.js'
import { startingFiles } from './plan.js'
import type { Offer } from './plan.js'
import { commitsFrom } from './source.js'

/** A planned change-feed batch before it is read. */
export interface PlannedChanges {
  readonly plan: FeedPlan
  readonly end: StreamPosition
  readonly startVersion: number
  /** A snapshot with the metadata in effect at the batch's end. */
  readonly source: Snapshot
  readonly latest: number
  /** The reader the batch is read with. */
  readonly port: ChangeFeedPort
}

/**
 * Plans the next change-feed batch after `input.after`; undefined when there is nothing new.
 * @throws as `ChangeBatchPlanner.offerCommit`; TableError `VersionNotFound` for a commit cleaned from the log.
 */
export async function planChangeBatch(input: PlanInput, load: (version: number) => Promise<Snapshot>, port: ChangeFeedPort): Promise<PlannedChanges | undefined> {
  const { after, source, end } = input
  const planner = new ChangeBatchPlanner(after, { metadata: source.metadata, protocol: source.protocol }, input.changes, end === undefined ? input.limits : {}, port.commitSources)
  let offer: Offer = 'more'
  let latest = source.version
  let first: number | undefined
  if (after.isStartingVersion) {
    const files = startingFiles(source.files(), after.version).filter((f) => end === undefined || !isBefore(end, f))
    offer = planner.offerSnapshot(files, source.timestamp)
  }
  if (offer === 'more') {
    for await (const commit of commitsFrom(input.engine, nextCommitVersion(after), commitRange(input))) {
      latest = Math.max(latest, commit.latest)
      first ??= commit.version
      if (planner.offerCommit(commit) !== 'more') break
    }
  }
  const last = planner.end
  if (last === undefined) return undefined
  const { metadata, protocol } = planner.state
  const startVersion = planner.sources[0]?.version ?? first ?? last.version
  const plan: FeedPlan = { start: startVersion, end: last.version, metadata, protocol, sources: planner.sources }
  const read = metadata === source.metadata ? source : await load(last.version)
  return { plan, end: last, startVersion, source: read, latest, port }
}

/** The change-feed batch over planned change sources. */
export function changeMicroBatch(engine: Engine, batchId: number, planned: PlannedChanges, range: { readonly start: StreamOffset; readonly end: StreamOffset }, read: BatchRead): MicroBatch {
  const { plan, port } = planned
  const options = { ...(read.columns === undefined ? {} : { columns: read.columns }), ...(read.filter === undefined ? {} : { filter: read.filter }), ...(read.signal === undefined ? {} : { signal: read.signal }) }
  const rows: AsyncIterable<Row[]> = { [Symbol.asyncIterator]: () => port.read(engine, plan, options)[Symbol.asyncIterator]() }
  const full: StructType = { kind: 'struct', fields: [...planned.source.schema.fields, ...port.fields] }
  const files = plan.sources.flatMap((s) => (s.kind === 'insert' ? [s.file] : s.kind === 'deletionVectorDiff' ? [s.add] : []))
  const content = { files, empty: plan.sources.length === 0, rows, schema: projectSchema(full, read.columns), startVersion: planned.startVersion, latest: planned.latest }
  return makeBatch(batchId, content, range)
}
