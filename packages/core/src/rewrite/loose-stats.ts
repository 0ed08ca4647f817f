// The stats of a file that gets a deletion vector (docs/row-level-plan.md §2, "The actions"): the old
// stats, text untouched (no number re-encoded), plus `"tightBounds":false`; a file without
// `numRecords` gets `{"numRecords":n,"tightBounds":false}` with n counted while it was read. Pure.

import { statsNumRecords } from '../actions/row-count.js'

/** The stats JSON of a file with a deletion vector, given its physical row count. */
export function looseStats(stats: string | null | undefined, physicalRows: number): string {
  if (stats == null || statsNumRecords(stats) === undefined) return `{"numRecords":${physicalRows},"tightBounds":false}`
  const trimmed = stats.trim()
  if (/"tightBounds"\s*:\s*false/.test(trimmed)) return trimmed
  if (/"tightBounds"\s*:\s*true/.test(trimmed)) return trimmed.replace(/"tightBounds"\s*:\s*true/, '"tightBounds":false')
  return `${trimmed.slice(0, -1)},"tightBounds":false}`
}
