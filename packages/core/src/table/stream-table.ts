// `streamTable`: a table as a stream (Spark's readStream.format("delta")), with `writeDelta` as the
// writer of its `writeTo` sink and the change data feed reader for `readChangeFeed`.
// `DeltaTable.stream` delegates here.
//
//   const stream = await streamTable('s3://lake/events', { checkpoint: 's3://lake/_checkpoints/copy', trigger: { availableNow: true } })
//   await stream.writeTo('s3://lake/events_copy')

import type { OpenStoreOptions } from '@lake/storage'
import { resolveTable } from '../engine.js'
import type { Engine, TableLocation } from '../engine.js'
import { commitSources } from '../operations/changes/plan.js'
import { CHANGE_METADATA_FIELDS, readChangesPlan } from '../operations/changes/read.js'
import type { ChangeFeedPort } from '../operations/stream/change-feed-port.js'
import { TableStream } from '../operations/stream/execute.js'
import type { StreamOptions } from '../operations/stream/options.js'
import type { SinkWriter } from '../operations/stream/sink.js'
import { writeDelta } from '../operations/write/index.js'

/** `writeDelta` as a stream sink's writer. */
const writeSink: SinkWriter = async (target, rows, options) => {
  const result = await writeDelta(target, rows, options)
  return { status: result.status, version: result.version }
}

/** The change data feed reader of operations/changes as a change-feed stream's. */
const changeFeed: ChangeFeedPort = { commitSources, read: readChangesPlan, fields: CHANGE_METADATA_FIELDS }

/** A stream over an engine (the facade's). */
export function streamOf(engine: Engine, options: StreamOptions = {}): TableStream {
  return new TableStream(engine, options, writeSink, changeFeed)
}

/**
 * A stream of micro-batches from the table at `location`: iterate it, or call `writeTo` /
 * `foreachBatch`. Nothing is read until it runs.
 * @throws StreamError `InvalidArgument` for options it cannot use.
 */
export async function streamTable(location: TableLocation, options: StreamOptions & { readonly storage?: OpenStoreOptions } = {}): Promise<TableStream> {
  return streamOf(await resolveTable(location, options.storage), options)
}
