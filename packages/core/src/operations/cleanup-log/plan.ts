// Expired log cleanup planning (protocol-notes §11, PROTOCOL.md#Metadata Cleanup): the log files
// older than the newest checkpoint at or before the retention cutoff. Pure.

import type { ObjectMeta } from '@lake/storage'
import { completeCheckpoints } from '../../log/log-segment.js'
import type { LogEntry } from '../../log/log-segment.js'

const DAY_MS = 86_400_000

/** What `planLogCleanup` decides from. */
export interface LogCleanupInput {
  /** The classified `_delta_log/` listing (`listLog`). */
  readonly entries: readonly LogEntry[]
  readonly now: number
  /** `delta.logRetentionDuration` in ms. */
  readonly logRetentionMs: number
}

/** The files to delete, and why. */
export interface LogCleanupPlan {
  /** Log history before this instant (epoch ms, midnight UTC) has expired. */
  readonly cutoff: number
  /** The newest checkpoint committed at or before the cutoff; `undefined` means nothing may be deleted. */
  readonly checkpointVersion: number | undefined
  readonly files: readonly ObjectMeta[]
}

/**
 * Plans a log cleanup: cutoff = now − retention, truncated to midnight UTC. The newest complete
 * checkpoint whose version was committed at or before the cutoff is kept with its commit and
 * everything after; commits, checkpoints and `.crc` files of earlier versions, and compaction
 * files starting at or before it, are deleted. Without such a checkpoint nothing is deleted, so
 * every remaining version stays reconstructable.
 */
export function planLogCleanup(input: LogCleanupInput): LogCleanupPlan {
  const cutoff = Math.floor((input.now - input.logRetentionMs) / DAY_MS) * DAY_MS
  const commitTimes = new Map<number, number>()
  for (const { path, meta } of input.entries) if (path.kind === 'commit') commitTimes.set(path.version, meta.lastModified)
  const eligible = completeCheckpoints(input.entries).filter((cp) => (commitTimes.get(cp.version) ?? cp.files[0]?.lastModified ?? Infinity) <= cutoff)
  const checkpointVersion = eligible.at(-1)?.version
  if (checkpointVersion === undefined) return { cutoff, checkpointVersion, files: [] }
  const files = input.entries
    .filter(({ path }) => {
      switch (path.kind) {
        case 'commit':
        case 'checkpoint':
        case 'crc':
          return path.version < checkpointVersion
        case 'compaction':
          return path.version <= checkpointVersion
        case 'lastCheckpoint':
          return false
        default: {
          const unreachable: never = path
          return unreachable
        }
      }
    })
    .map((e) => e.meta)
  return { cutoff, checkpointVersion, files }
}
