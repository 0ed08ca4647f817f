// Turning a log segment into a Snapshot: read the checkpoint and commits (bounded concurrency,
// in chunks so memory stays bounded), replay them in order, derive the commit timestamp.

import { isLakeError, mapConcurrent } from '@lake/storage'
import type { Action } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { findCommitInfo, readCommit } from '../read/read-commit.js'
import { readCheckpointBatches } from '../read/read-checkpoint.js'
import type { LogSegment } from '../log/log-segment.js'
import { LogReplay } from '../replay/log-replay.js'
import type { ReplayState } from '../replay/log-replay.js'
import { hasInCommitTimestamp } from './commit-timestamps.js'
import { Snapshot } from './snapshot.js'

/** Commits fetched in parallel while replaying. */
const COMMIT_READ_CONCURRENCY = 8
/** Commits held in memory at once before they are applied. */
const COMMIT_CHUNK = 64

/**
 * Reads and replays a segment: one checkpoint read (all its parts and sidecars) plus one `get`
 * per commit after it.
 */
export async function buildSnapshot(engine: Engine, segment: LogSegment, signal?: AbortSignal): Promise<Snapshot> {
  const log = new LogReplay()
  const checkpoint = segment.checkpoint
  if (checkpoint !== undefined) {
    for await (const batch of readCheckpointBatches(engine, checkpoint, signal)) log.applyCheckpoint(checkpoint.version, batch)
  }
  for (let i = 0; i < segment.commits.length; i += COMMIT_CHUNK) {
    const chunk = segment.commits.slice(i, i + COMMIT_CHUNK)
    const actions = await mapConcurrent(chunk, COMMIT_READ_CONCURRENCY, (c) => readCommit(engine, c.version, signal))
    chunk.forEach((c, j) => log.applyCommit(c.version, actions[j] ?? []))
  }
  const state = log.state()
  const timestamp = await commitTimestamp(engine, segment, state, signal)
  return new Snapshot({ state, segment, timestamp, tableUrl: engine.store.url })
}

/**
 * The commit timestamp of the segment's version: its in-commit timestamp when ICT covers it,
 * else the modification time of its commit file (or of its checkpoint when only that exists).
 */
async function commitTimestamp(engine: Engine, segment: LogSegment, state: ReplayState, signal?: AbortSignal): Promise<number> {
  const last = segment.commits.at(-1)
  const fileTime = last?.meta.lastModified ?? segment.checkpoint?.files[0]?.lastModified ?? 0
  if (!hasInCommitTimestamp(state.metadata.configuration, segment.version)) return fileTime
  const info = last === undefined ? findCommitInfo(await readCommitIfPresent(engine, segment.version, signal)) : state.commitInfo
  return info?.inCommitTimestamp ?? fileTime
}

async function readCommitIfPresent(engine: Engine, version: number, signal?: AbortSignal): Promise<Action[]> {
  try {
    return await readCommit(engine, version, signal)
  } catch (err) {
    if (isLakeError(err, 'NotFound')) return []
    throw err
  }
}
