// Which field of an action a classic checkpoint would drop: a non-null field the checkpoint schema
// has no column for (an unknown field a newer writer added). Pure.

import type { DataType, StructType } from '@lake/parquet'
import { ProtocolError } from '../errors.js'
import { CHECKPOINT_WRITE_SCHEMA } from './checkpoint-schema.js'
import type { CheckpointColumn } from './checkpoint-schema.js'

/** Fields the protocol lets a checkpoint leave out (PROTOCOL.md#Checkpoint Schema: tombstones lose stats and tags). */
const OMITTED: Readonly<Partial<Record<CheckpointColumn, ReadonlySet<string>>>> = {
  remove: new Set(['stats', 'tags']),
}

/**
 * The dotted name of the first non-null field of `action` (an action object as parsed, unknown
 * fields kept) that checkpoint column `column` cannot hold, or `undefined` when every field fits.
 * Nested structs (`deletionVector`, `format`) are checked too; maps and arrays hold any key.
 */
export function unkeptField(column: CheckpointColumn, action: object): string | undefined {
  const type = CHECKPOINT_WRITE_SCHEMA.fields.find((f) => f.name === column)?.type
  return type?.kind === 'struct' ? unkeptIn(type, action, '', OMITTED[column]) : undefined
}

/**
 * Refuses to checkpoint an action with a field the checkpoint would drop: the protocol gives the
 * checkpoint a fixed column per field, so an unknown field cannot be carried through without
 * guessing its type. `name` says which action it is in the message (e.g. `add of 'part-0.parquet'`).
 * @throws ProtocolError `UnsupportedFeature` with `context.action` and `context.field`.
 */
export function assertCheckpointKeeps(column: CheckpointColumn, action: object, name: string): void {
  const field = unkeptField(column, action)
  if (field === undefined) return
  throw new ProtocolError(
    'UnsupportedFeature',
    `cannot write a checkpoint: ${name} has field '${field}', which the checkpoint schema has no column for; ` +
      'lake refuses rather than drop it (expected only fields of the Delta protocol lake implements)',
    { context: { action: column, field } },
  )
}

function unkeptIn(struct: StructType, value: object, prefix: string, omitted: ReadonlySet<string> | undefined): string | undefined {
  for (const [key, child] of Object.entries(value)) {
    if (child === null || child === undefined || omitted?.has(key) === true) continue
    const field = struct.fields.find((f) => f.name === key)
    if (field === undefined) return `${prefix}${key}`
    const nested = nestedStruct(field.type, child)
    if (nested === undefined) continue
    const found = unkeptIn(nested.type, nested.value, `${prefix}${key}.`, undefined)
    if (found !== undefined) return found
  }
  return undefined
}

function nestedStruct(type: DataType, value: unknown): { type: StructType; value: object } | undefined {
  return type.kind === 'struct' && typeof value === 'object' && value !== null && !Array.isArray(value) ? { type, value } : undefined
}
