// An in-memory Delta table for tests: commits, Parquet checkpoints (encoded with @lake/parquet
// against the checkpoint read schema) and `_last_checkpoint`, each written at a chosen mtime.

import { encodeParquet } from '@lake/parquet'
import type { DataType, Row, Value } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import { CHECKPOINT_READ_SCHEMA, classicCheckpointPath, commitPath, serializeAction, serializeCommit } from '../../src/internal.js'
import type { Action } from '../../src/internal.js'

/** A MemoryStore-backed table whose object mtimes are set by the writer. */
export class MemoryTable {
  readonly store: MemoryStore
  #clock = 1_000

  constructor() {
    this.store = new MemoryStore({ now: () => this.#clock, url: 'memory://table' })
  }

  /** Writes commit `version` with modification time `mtime` (default: 1000 ms after the previous write). */
  async commit(version: number, actions: readonly Action[], mtime = this.#clock + 1_000): Promise<void> {
    this.#clock = mtime
    await this.store.put(commitPath(version), serializeCommit(actions))
  }

  /** Writes a classic Parquet checkpoint of `version` holding `actions`. */
  async checkpoint(version: number, actions: readonly Action[], path = classicCheckpointPath(version)): Promise<void> {
    await this.store.put(path, checkpointBytes(actions))
  }

  /** Writes `_last_checkpoint` with raw text (may be garbage on purpose). */
  async lastCheckpoint(text: string): Promise<void> {
    await this.store.put('_delta_log/_last_checkpoint', new TextEncoder().encode(text))
  }
}

/** A Parquet checkpoint file: one row per action, the action in its column. */
export function checkpointBytes(actions: readonly Action[]): Uint8Array {
  const rows = actions.map((action): Row => {
    const json = JSON.parse(serializeAction(action)) as Record<string, unknown>
    const field = CHECKPOINT_READ_SCHEMA.fields.find((f) => f.name === action.kind)
    if (field === undefined) throw new Error(`no checkpoint column for ${action.kind}`)
    return { [action.kind]: toParquetValue(json[action.kind], field.type) }
  })
  return encodeParquet(rows, CHECKPOINT_READ_SCHEMA, { compression: 'snappy' }).bytes
}

/** JSON value → the @lake/parquet value model for `type` (long → bigint, map → Map). */
function toParquetValue(value: unknown, type: DataType): Value {
  if (value === undefined || value === null) return null
  switch (type.kind) {
    case 'primitive':
      return type.name === 'long' ? BigInt(value as number) : (value as Value)
    case 'struct': {
      const obj = value as Record<string, unknown>
      return Object.fromEntries(type.fields.map((f) => [f.name, toParquetValue(obj[f.name], f.type)]))
    }
    case 'array':
      return (value as unknown[]).map((v) => toParquetValue(v, type.elementType))
    case 'map':
      return new Map(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, toParquetValue(v, type.valueType)]))
    default:
      return value as Value
  }
}
