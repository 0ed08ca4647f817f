// The live row count of a data file from its add action: `stats.numRecords` minus the rows its
// deletion vector removes (PROTOCOL.md#Per-file Statistics). Pure; tolerant of missing stats.

import type { AddFile } from './types.js'

/** `stats.numRecords` of a stats JSON string, or undefined when absent or malformed. */
export function statsNumRecords(stats: string | null | undefined): number | undefined {
  if (stats == null) return undefined
  try {
    const parsed: unknown = JSON.parse(stats)
    const n = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['numRecords'] : undefined
    return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined
  } catch {
    return undefined
  }
}

/** The rows a live file contributes (numRecords minus DV cardinality), or undefined without stats. */
export function liveRowCount(add: Pick<AddFile, 'stats' | 'deletionVector'>): number | undefined {
  const n = statsNumRecords(add.stats)
  return n === undefined ? undefined : n - (add.deletionVector?.cardinality ?? 0)
}
