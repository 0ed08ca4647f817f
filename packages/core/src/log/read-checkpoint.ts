// Reading a checkpoint (classic, multi-part, or V2 in JSON or Parquet with sidecars) into its
// actions. I/O through the engine only; Parquet via `@lake/parquet` over ranged reads.

import { readParquetRows } from '@lake/parquet'
import type { StructType } from '@lake/parquet'
import { mapConcurrent } from '@lake/storage'
import { parseActionValue } from '../actions/parse-action.js'
import { parseCommit } from '../actions/parse-commit.js'
import type { Action, Sidecar } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { ProtocolError } from '../errors.js'
import { storeAsyncBuffer } from '../io/store-buffer.js'
import { toJsonValue } from './checkpoint-row.js'
import { CHECKPOINT_READ_SCHEMA, SIDECAR_READ_SCHEMA } from './checkpoint-schema.js'
import { SIDECAR_DIR } from './log-path.js'
import type { CheckpointRef } from './log-segment.js'

/** Parallel reads of checkpoint parts and sidecar files. */
const CHECKPOINT_READ_CONCURRENCY = 4

/**
 * Reads every action of a checkpoint: all parts of a multi-part set, and for a V2 checkpoint the
 * file actions of its sidecars. `sidecar` and `checkpointMetadata` actions are consumed here and
 * not returned.
 * @throws ProtocolError `CorruptLog` for malformed rows; StorageError `NotFound` when a part or
 * a sidecar file is missing.
 */
export async function readCheckpoint(engine: Engine, ref: CheckpointRef, signal?: AbortSignal): Promise<Action[]> {
  const parts = await mapConcurrent(ref.files, CHECKPOINT_READ_CONCURRENCY, async (meta) => {
    if (meta.path.endsWith('.json')) {
      const bytes = await engine.store.get(meta.path, { signal })
      return parseCommit(bytes, ref.version)
    }
    return readParquetActions(engine, meta.path, meta.size, CHECKPOINT_READ_SCHEMA, signal)
  })
  const actions: Action[] = []
  const sidecars: Sidecar[] = []
  for (const part of parts) {
    for (const action of part) {
      if (action.kind === 'sidecar') sidecars.push(action.sidecar)
      else if (action.kind !== 'checkpointMetadata') actions.push(action)
    }
  }
  const fromSidecars = await mapConcurrent(sidecars, CHECKPOINT_READ_CONCURRENCY, (sidecar) =>
    readParquetActions(engine, sidecarPath(sidecar), sidecar.sizeInBytes, SIDECAR_READ_SCHEMA, signal),
  )
  for (const part of fromSidecars) {
    for (const action of part) if (action.kind === 'add' || action.kind === 'remove') actions.push(action)
  }
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

async function readParquetActions(
  engine: Engine,
  path: string,
  size: number | undefined,
  schema: StructType,
  signal: AbortSignal | undefined,
): Promise<Action[]> {
  const file = await storeAsyncBuffer(engine.store, path, size, signal)
  const actions: Action[] = []
  let line = 0
  for await (const rows of readParquetRows(file, schema, { signal })) {
    for (const row of rows) {
      line += 1
      const action = parseActionValue(toJsonValue(row, path), { file: path, line })
      if (action !== undefined) actions.push(action)
    }
  }
  return actions
}
