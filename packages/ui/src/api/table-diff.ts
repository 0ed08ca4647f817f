// What a version changed compared with the one before: columns added, removed or changed (type or
// nullability, nested fields by their dotted path), protocol versions and features, and table
// properties. Pure.

import { formatType } from '@lake/core'
import type { Metadata, Protocol, StructType } from '@lake/core'

/** A column by its path: type text and nullability. */
export interface ColumnState {
  readonly path: string
  readonly type: string
  readonly nullable: boolean
}

export interface SchemaChange {
  readonly added: readonly ColumnState[]
  readonly removed: readonly ColumnState[]
  readonly changed: readonly { readonly before: ColumnState; readonly after: ColumnState }[]
}

export interface PropertyChange {
  readonly key: string
  readonly before: string | null
  readonly after: string | null
}

/** Every column and nested struct field, depth first, by dotted path. */
export function columnStates(schema: StructType, prefix = ''): ColumnState[] {
  const out: ColumnState[] = []
  for (const field of schema.fields) {
    const path = `${prefix}${field.name}`
    out.push({ path, type: formatType(field.type), nullable: field.nullable })
    if (field.type.kind === 'struct') out.push(...columnStates(field.type, `${path}.`))
  }
  return out
}

/** Columns added, removed and changed from `before` to `after`. */
export function schemaChange(before: StructType, after: StructType): SchemaChange {
  const was = new Map(columnStates(before).map((c) => [c.path, c]))
  const now = new Map(columnStates(after).map((c) => [c.path, c]))
  const changed: { before: ColumnState; after: ColumnState }[] = []
  for (const [path, c] of now) {
    const old = was.get(path)
    if (old !== undefined && (old.type !== c.type || old.nullable !== c.nullable)) changed.push({ before: old, after: c })
  }
  return {
    added: [...now.values()].filter((c) => !was.has(c.path)),
    removed: [...was.values()].filter((c) => !now.has(c.path)),
    changed,
  }
}

/** Properties whose value differs (null where a side does not set it), sorted by key. */
export function propertyChanges(before: Metadata['configuration'], after: Metadata['configuration']): PropertyChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort()
  const valueOf = (config: Metadata['configuration'], key: string): string | null => (Object.hasOwn(config, key) ? (config[key] ?? null) : null)
  return keys.map((key) => ({ key, before: valueOf(before, key), after: valueOf(after, key) })).filter((c) => c.before !== c.after)
}

/** The protocol as the page shows it. */
export interface ProtocolState {
  readonly minReaderVersion: number
  readonly minWriterVersion: number
  readonly readerFeatures: readonly string[]
  readonly writerFeatures: readonly string[]
}

export function protocolState(p: Protocol): ProtocolState {
  return {
    minReaderVersion: p.minReaderVersion,
    minWriterVersion: p.minWriterVersion,
    readerFeatures: [...(p.readerFeatures ?? [])],
    writerFeatures: [...(p.writerFeatures ?? [])],
  }
}
