// Row counts from a data file's stats JSON, minus rows its deletion vector removes. Pure.

import type { AddFile } from '@lake/core'

/** `stats.numRecords` minus the deletion vector's cardinality, or null when the file has no count. */
export function numRecordsOf(add: AddFile): number | null {
  if (add.stats == null) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(add.stats)
  } catch {
    return null
  }
  const n = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['numRecords'] : undefined
  if (typeof n !== 'number') return null
  return n - (add.deletionVector?.cardinality ?? 0)
}
