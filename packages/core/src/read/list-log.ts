// Listing `_delta_log/`: one `list` call, optionally starting at a version (S3 `start-after`),
// keeping only the files `parseLogPath` recognises.

import type { Engine } from '../engine.js'
import { LOG_DIR, parseLogPath, versionPrefix } from '../log/log-path.js'
import type { LogEntry } from '../log/log-segment.js'

/**
 * Lists the log files of the table, sorted by name. With `fromVersion`, only files of that
 * version and later (one `list` with `startAfter`). Subdirectories and unknown files are skipped.
 */
export async function listLog(engine: Engine, fromVersion = 0, signal?: AbortSignal): Promise<LogEntry[]> {
  const options = fromVersion > 0 ? { startAfter: `${LOG_DIR}${versionPrefix(fromVersion - 1)}.~`, signal } : { signal }
  const entries: LogEntry[] = []
  for await (const meta of engine.store.list(LOG_DIR, options)) {
    const name = meta.path.slice(LOG_DIR.length)
    if (name.includes('/')) continue
    const path = parseLogPath(name)
    if (path !== undefined && path.kind !== 'lastCheckpoint') entries.push({ path, meta })
  }
  return entries
}
