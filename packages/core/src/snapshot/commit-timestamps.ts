// Commit timestamps for time travel (PROTOCOL.md#In-Commit Timestamps, Spark
// DeltaHistoryManager.monotonizeCommitTimestamps). Pure.

/**
 * File modification times made strictly increasing: when `ts[i] <= ts[i-1]`, `ts[i] = ts[i-1] + 1`.
 * @param timestamps - Commit times in ascending version order.
 */
export function monotonize(timestamps: readonly number[]): number[] {
  const out: number[] = []
  for (const ts of timestamps) {
    const prev = out.at(-1)
    out.push(prev !== undefined && ts <= prev ? prev + 1 : ts)
  }
  return out
}

/**
 * The index of the last timestamp at or before `t` in a strictly increasing array, or -1 when
 * `t` is before the first. Binary search.
 */
export function lastAtOrBefore(timestamps: readonly number[], t: number): number {
  let lo = 0
  let hi = timestamps.length - 1
  let found = -1
  while (lo <= hi) {
    const mid = (lo + hi) >> 1
    if ((timestamps[mid] ?? Number.POSITIVE_INFINITY) <= t) {
      found = mid
      lo = mid + 1
    } else {
      hi = mid - 1
    }
  }
  return found
}

/**
 * True when version `version` carries an in-commit timestamp: ICT is enabled in the table
 * properties and the version is at or after the enablement version (when one is recorded).
 */
export function hasInCommitTimestamp(configuration: Readonly<Record<string, string>>, version: number): boolean {
  if (configuration['delta.enableInCommitTimestamps']?.toLowerCase() !== 'true') return false
  const since = configuration['delta.inCommitTimestampEnablementVersion']
  return since === undefined || version >= Number(since)
}
