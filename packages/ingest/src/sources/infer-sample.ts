// Schema inference over a sample of JSON-like records that tolerates stray records: per column
// the majority JS kind wins, records that disagree are left out (and later dead-lettered).

import { inferSchema, JsonNumber } from '@lake/core/internal'
import type { StructType } from '@lake/parquet'
import { withoutVoid } from './without-void.js'

/**
 * The schema of `sample` (`inferSchema` of `@lake/core/internal` over the agreeing records; all-null
 * columns become string). Kinds compared: number (integer, fractional, bigint and `JsonNumber`
 * together), string, boolean, array, object. `undefined` for an empty sample.
 */
export function inferSample(sample: readonly Record<string, unknown>[]): StructType | undefined {
  const votes = new Map<string, Map<string, number>>()
  for (const record of sample) {
    for (const [key, value] of Object.entries(record)) {
      const kind = kindOf(value)
      if (kind === 'null') continue
      const column = votes.get(key) ?? new Map<string, number>()
      column.set(kind, (column.get(kind) ?? 0) + 1)
      votes.set(key, column)
    }
  }
  const winner = new Map<string, string>()
  for (const [key, kinds] of votes) winner.set(key, [...kinds].sort((a, b) => b[1] - a[1])[0]?.[0] ?? 'null')
  const agreeing = sample.filter((r) => Object.entries(r).every(([k, v]) => kindOf(v) === 'null' || winner.get(k) === kindOf(v)))
  return agreeing.length === 0 ? undefined : withoutVoid(inferSchema(agreeing))
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'array'
  if (typeof value === 'bigint' || value instanceof JsonNumber) return 'number'
  return typeof value
}
