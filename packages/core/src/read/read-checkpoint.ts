// Reading a checkpoint (classic, multi-part, or V2 in JSON or Parquet with sidecars) into its
// actions. I/O through the engine only; Parquet via the engine's codec over ranged reads.

import type { Row, StructType } from '@lake/parquet'
import { parseActionValue } from '../actions/parse-action.js'
import { parseCommit } from '../actions/parse-commit.js'
import type { Action, Sidecar } from '../actions/types.js'
import { engineCodec } from '../engine.js'
import type { Engine } from '../engine.js'
import { ProtocolError } from '../errors.js'
import { storeAsyncBuffer } from './store-buffer.js'
import { toJsonValue } from '../log/checkpoint-row.js'
import { CHECKPOINT_READ_SCHEMA, SIDECAR_READ_SCHEMA } from '../log/checkpoint-schema.js'
import { SIDECAR_DIR } from '../log/log-path.js'
import type { CheckpointRef } from '../log/log-segment.js'

/**
 * Streams the actions of a checkpoint in batches (one per Parquet row group), so a checkpoint of
 * 100k files is never held twice: all parts of a multi-part set, then for a V2 checkpoint the file
 * actions of its sidecars. `sidecar` and `checkpointMetadata` actions are consumed here.
 * @throws ProtocolError `CorruptLog` for malformed rows; StorageError `NotFound` when a part or
 * a sidecar file is missing.
 */
export async function* readCheckpointBatches(engine: Engine, ref: CheckpointRef, signal?: AbortSignal): AsyncGenerator<Action[]> {
  const sidecars: Sidecar[] = []
  for (const meta of ref.files) {
    const batches = meta.path.endsWith('.json')
      ? [parseCommit(await engine.store.get(meta.path, { signal }), ref.version)]
      : readParquetActions(engine, meta.path, meta.size, CHECKPOINT_READ_SCHEMA, signal)
    for await (const batch of batches) {
      const actions: Action[] = []
      for (const action of batch) {
        if (action.kind === 'sidecar') sidecars.push(action.sidecar)
        else if (action.kind !== 'checkpointMetadata') actions.push(action)
      }
      yield actions
    }
  }
  for (const sidecar of sidecars) {
    for await (const batch of readParquetActions(engine, sidecarPath(sidecar), sidecar.sizeInBytes, SIDECAR_READ_SCHEMA, signal)) {
      yield batch.filter((action) => action.kind === 'add' || action.kind === 'remove')
    }
  }
}

/** Every action of a checkpoint at once (see `readCheckpointBatches`). */
export async function readCheckpoint(engine: Engine, ref: CheckpointRef, signal?: AbortSignal): Promise<Action[]> {
  const actions: Action[] = []
  for await (const batch of readCheckpointBatches(engine, ref, signal)) for (const action of batch) actions.push(action)
  return actions
}

/** The store key of a sidecar: its file name under `_delta_log/_sidecars/`. */
export function sidecarPath(sidecar: Sidecar): string {
  const name = decodeURIComponent(sidecar.path.slice(sidecar.path.lastIndexOf('/') + 1))
  if (name === '') {
    throw new ProtocolError('CorruptLog', `invalid sidecar path '${sidecar.path}': expected a file name`, { context: { path: sidecar.path } })
  }
  return `${SIDECAR_DIR}${name}`
}

/**
 * The JSON value of a checkpoint row reduced to its first non-null action column (the one the action
 * parser picks), so the null columns of the other action types are never converted.
 */
function firstAction(row: Row, path: string): unknown {
  for (const kind in row) {
    const body = row[kind]
    if (body !== null && body !== undefined) return { [kind]: toJsonValue(body, path) }
  }
  return {}
}

async function* readParquetActions(
  engine: Engine,
  path: string,
  size: number | undefined,
  schema: StructType,
  signal: AbortSignal | undefined,
): AsyncGenerator<Action[]> {
  const file = await storeAsyncBuffer(engine.store, path, size, signal)
  let line = 0
  for await (const rows of engineCodec(engine).readRows(file, schema, { signal, path })) {
    const actions: Action[] = []
    for (const row of rows) {
      line += 1
      const action = parseActionValue(firstAction(row, path), { file: path, line })
      if (action !== undefined) actions.push(action)
    }
    yield actions
  }
}
