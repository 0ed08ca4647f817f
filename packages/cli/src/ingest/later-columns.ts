// `--schema-mode merge` without a job adds every new column of the input, not only those of the
// records the reader samples: one pass over the (re-readable) input finds the columns that first
// appear after the sample, typed by core's inference from the first record that holds them.

import { inferSchema } from '@lake/core/internal'
import type { StructType } from '@lake/core'
import type { Source } from '@lake/ingest'
import { sourceRows } from './source-rows.js'

/**
 * `sampled` plus, in input order, each top-level column that a record holds and `sampled` lacks
 * (names match case-insensitively, as Delta's do). Reads the whole input once.
 */
export async function withLaterColumns(input: { readonly source: Source; readonly bytes: number }, sampled: StructType | undefined, signal: AbortSignal): Promise<StructType | undefined> {
  const fields = [...(sampled?.fields ?? [])]
  const known = new Set(fields.map((f) => f.name.toLowerCase()))
  for await (const record of sourceRows(input.source, input.bytes, sampled, signal)) {
    if (typeof record !== 'object' || record === null) continue
    const fresh = Object.keys(record).filter((name) => !known.has(name.toLowerCase()))
    if (fresh.length === 0) continue
    const values: Record<string, unknown> = Object.create(null) as Record<string, unknown>
    for (const name of fresh) if ((record as Record<string, unknown>)[name] !== null) values[name] = (record as Record<string, unknown>)[name]
    for (const field of inferSchema([values]).fields) {
      fields.push(field)
      known.add(field.name.toLowerCase())
    }
  }
  return fields.length === 0 && sampled === undefined ? undefined : { kind: 'struct', fields }
}
