// loadSnapshot: open a table at its latest version, a given version, or a timestamp. Lists the log
// once from the `_last_checkpoint` hint (falling back to a full listing), then replays.

import { isLakeError } from '@lake/storage'
import type { Engine } from '../engine.js'
import { InvalidArgumentError } from '../errors.js'
import { readLastCheckpoint } from '../read/read-last-checkpoint.js'
import { listLog } from '../read/list-log.js'
import { buildLogSegment, canReconstruct } from '../log/log-segment.js'
import type { LogSegment } from '../log/log-segment.js'
import { buildSnapshot } from './build-snapshot.js'
import type { Snapshot } from './snapshot.js'
import { versionAtTimestamp } from './version-at-timestamp.js'
import type { TimestampInput } from './version-at-timestamp.js'

/** Options of `loadSnapshot`: at most one of `version` and `timestamp`. */
export interface LoadSnapshotOptions {
  /** The version to open (default: the latest). */
  readonly version?: number
  /** Open the latest version committed at or before this instant (epoch ms, ISO-8601 string or Date). */
  readonly timestamp?: TimestampInput
  readonly signal?: AbortSignal
}

/**
 * Opens a table. I/O: one `get` of `_last_checkpoint`, one `list` of `_delta_log/` from the hinted
 * checkpoint (a second, full listing only when the hint is missing, stale beyond use, or newer
 * than the requested version), one checkpoint read, one `get` per commit after it.
 * @throws TableError `TableNotFound` when `_delta_log/` holds no commit or checkpoint;
 * `VersionNotFound` naming the available range; `TimestampOutOfRange`.
 * @throws ProtocolError `CorruptLog` (gaps, malformed actions), `InvalidProtocol`, `UnsupportedFeature`.
 */
export async function loadSnapshot(engine: Engine, options: LoadSnapshotOptions = {}): Promise<Snapshot> {
  const { signal } = options
  if (options.version !== undefined && options.timestamp !== undefined) {
    throw new InvalidArgumentError('loadSnapshot: expected either version or timestamp, found both')
  }
  if (options.version !== undefined && (!Number.isSafeInteger(options.version) || options.version < 0)) {
    throw new InvalidArgumentError(`loadSnapshot: expected a non-negative integer version, found ${options.version}`)
  }
  const version = options.timestamp === undefined ? options.version : await versionAtTimestamp(engine, options.timestamp, { signal })
  const segment = await resolveLogSegment(engine, version, signal)
  return buildSnapshot(engine, segment, signal)
}

/**
 * The log segment of `version` (default latest), listing from the `_last_checkpoint` hint when
 * it can serve the request and falling back to a full listing otherwise.
 */
export async function resolveLogSegment(engine: Engine, version: number | undefined, signal?: AbortSignal): Promise<LogSegment> {
  const hint = await readLastCheckpoint(engine, signal)
  const from = hint !== undefined && (version === undefined || version >= hint.version) ? hint.version : 0
  const url = engine.store.url
  if (from > 0) {
    const entries = await listLog(engine, from, signal)
    if (canReconstruct(entries, version)) {
      try {
        return buildLogSegment(entries, url, version)
      } catch (err) {
        // A partial listing cannot name the full available range: answer from a full one.
        if (!isLakeError(err, 'VersionNotFound')) throw err
      }
    }
  }
  return buildLogSegment(await listLog(engine, 0, signal), url, version)
}

/** The latest snapshot, or `undefined` when no table exists at the location yet. */
export async function tryLoadSnapshot(engine: Engine, signal?: AbortSignal): Promise<Snapshot | undefined> {
  try {
    return await loadSnapshot(engine, signal === undefined ? {} : { signal })
  } catch (err) {
    if (isLakeError(err, 'TableNotFound')) return undefined
    throw err
  }
}
