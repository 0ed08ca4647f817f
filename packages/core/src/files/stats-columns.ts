// `delta.dataSkippingStatsColumns`: a table that lists its stats columns keeps min/max/nullCount only
// for those columns (a struct stands for all its fields), whatever `dataSkippingNumIndexedCols` says.
// The writers compute stats for every column when the property is set (TableConfig.statsColumnLimit),
// and the commit keeps the listed ones here, so every write path (writeDelta, ingest, DML rewrites,
// optimize) follows it from one place. Names are logical, matched case-insensitively as Spark does,
// dotted for nested fields (`a`.`b.c` quotes a name holding a dot); stats keys are physical names.
// Pure.

import type { DataType, StructType } from '@lake/parquet'
import type { AddFile } from '../actions/types.js'
import { JsonNumber, parseLosslessJson } from '../expr/lossless-json.js'
import type { LosslessJson } from '../expr/lossless-json.js'
import type { TableConfig } from '../protocol/table-config.js'
import { physicalName } from '../schema/column-mapping.js'
import type { ColumnMappingMode } from '../schema/column-mapping.js'

/** The stats keys kept below one level: `true` keeps a whole subtree. */
type Kept = true | Map<string, Kept>

/** A listed column name split into its dotted parts (backticks quote a part; `` is a backtick in one). */
function splitName(text: string): string[] {
  const parts: string[] = []
  let part = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string
    if (c === '`' && quoted && text[i + 1] === '`') {
      part += '`'
      i++
    } else if (c === '`') {
      quoted = !quoted
    } else if (c === '.' && !quoted) {
      parts.push(part.trim())
      part = ''
    } else {
      part += c
    }
  }
  parts.push(part.trim())
  return parts
}

/** Adds the physical path of `parts` (logical, case-insensitive) under `tree`; unknown names add nothing. */
function keep(tree: Map<string, Kept>, type: DataType, parts: readonly string[], mode: ColumnMappingMode): void {
  const [head, ...rest] = parts
  if (type.kind !== 'struct' || head === undefined) return
  const field = type.fields.find((f) => f.name.toLowerCase() === head.toLowerCase())
  if (field === undefined) return
  const key = physicalName(field, mode)
  const below = tree.get(key)
  if (rest.length === 0 || below === true) {
    tree.set(key, true)
    return
  }
  const subtree = below ?? new Map<string, Kept>()
  tree.set(key, subtree)
  keep(subtree, field.type, rest, mode)
}

const isObject = (v: LosslessJson | undefined): v is { [key: string]: LosslessJson } => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof JsonNumber)

/** JSON text of a lossless value, numbers as they were written (long and decimal stats stay exact). */
function stringify(value: LosslessJson): string {
  if (value instanceof JsonNumber) return value.text
  if (Array.isArray(value)) return `[${value.map(stringify).join(',')}]`
  if (isObject(value)) return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${stringify(v)}`).join(',')}}`
  return JSON.stringify(value)
}

/** `value` with only the keys `kept` names (a key's whole value when it maps to true). */
function trim(value: LosslessJson, kept: Map<string, Kept>): LosslessJson {
  const out: { [key: string]: LosslessJson } = Object.create(null) as { [key: string]: LosslessJson }
  if (!isObject(value)) return out
  for (const [key, v] of Object.entries(value)) {
    const k = kept.get(key)
    if (k === true) out[key] = v
    else if (k !== undefined && isObject(v)) out[key] = trim(v, k)
  }
  return out
}

const STATS_OBJECTS = new Set(['minValues', 'maxValues', 'nullCount'])

function parsedStats(stats: string): LosslessJson | undefined {
  try {
    return parseLosslessJson(stats)
  } catch {
    return undefined // another writer's stats lake cannot parse: kept as they are (readers ignore them alike)
  }
}

function trimStats(stats: string, kept: Map<string, Kept>): string {
  const parsed = parsedStats(stats)
  if (!isObject(parsed)) return stats
  const out: { [key: string]: LosslessJson } = Object.create(null) as { [key: string]: LosslessJson }
  for (const [key, value] of Object.entries(parsed)) out[key] = STATS_OBJECTS.has(key) ? trim(value, kept) : value
  return stringify(out)
}

/**
 * The adds with stats only for the columns of `delta.dataSkippingStatsColumns` (the same adds when the
 * table does not set it). `schema` and `config` are those the commit leaves the table with.
 */
export function keepStatsColumns(adds: readonly AddFile[], config: TableConfig, schema: StructType): readonly AddFile[] {
  const columns = config.dataSkippingStatsColumns
  if (columns === undefined || adds.every((a) => a.stats === undefined || a.stats === null)) return adds
  const kept = new Map<string, Kept>()
  for (const column of columns) keep(kept, schema, splitName(column), config.columnMappingMode)
  return adds.map((a) => (typeof a.stats === 'string' ? { ...a, stats: trimStats(a.stats, kept) } : a))
}
