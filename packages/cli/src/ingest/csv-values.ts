// Types CSV fields (all strings) for a table: by the table's schema when it exists, else by what
// the first batch looks like (integers → long, numbers → double, true/false → boolean). Pure.

import type { DeltaTable } from '@lake/core'

type StructType = DeltaTable['schema']
type Kind = 'long' | 'double' | 'boolean' | 'string'

const INTEGER = /^-?\d+$/
const NUMBER = /^-?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/

/** How each column's text becomes a value. */
export type CsvTyping = ReadonlyMap<string, Kind>

/** Column kinds from the table schema; columns of other types keep their text (the core coerces it). */
export function typingFromSchema(schema: StructType): CsvTyping {
  const out = new Map<string, Kind>()
  for (const f of schema.fields) {
    if (f.type.kind !== 'primitive') continue
    const name = f.type.name
    if (name === 'long' || name === 'integer' || name === 'short' || name === 'byte') out.set(f.name, 'long')
    else if (name === 'double' || name === 'float') out.set(f.name, 'double')
    else if (name === 'boolean') out.set(f.name, 'boolean')
  }
  return out
}

/** Column kinds inferred from sample records: the narrowest kind every non-empty value fits. */
export function inferTyping(records: readonly Record<string, unknown>[]): CsvTyping {
  const out = new Map<string, Kind>()
  const columns = new Set(records.flatMap((r) => Object.keys(r)))
  for (const column of columns) {
    const values = records.map((r) => r[column]).filter((v): v is string => typeof v === 'string' && v !== '')
    if (values.length === 0) out.set(column, 'string')
    else if (values.every((v) => INTEGER.test(v))) out.set(column, 'long')
    else if (values.every((v) => NUMBER.test(v))) out.set(column, 'double')
    else if (values.every((v) => v === 'true' || v === 'false')) out.set(column, 'boolean')
    else out.set(column, 'string')
  }
  return out
}

/** A record with its fields typed; an empty field is null. */
export function typeCsvRecord(record: Readonly<Record<string, unknown>>, typing: CsvTyping): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [key, raw] of Object.entries(record)) {
    if (typeof raw !== 'string' || raw === '') {
      out[key] = raw === '' ? null : raw
      continue
    }
    switch (typing.get(key) ?? 'string') {
      case 'long':
        out[key] = INTEGER.test(raw) ? BigInt(raw) : raw
        break
      case 'double':
        out[key] = NUMBER.test(raw) ? Number(raw) : raw
        break
      case 'boolean':
        out[key] = raw === 'true' ? true : raw === 'false' ? false : raw
        break
      case 'string':
        out[key] = raw
        break
    }
  }
  return out
}
