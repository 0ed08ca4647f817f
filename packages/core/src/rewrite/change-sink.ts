// The change sink of row-level operations (docs/row-level-plan.md §7): DELETE, UPDATE and MERGE hand it
// every change they make (`delete` rows, `update_preimage`/`update_postimage` pairs, `insert` rows);
// at the end `finish` decides with `needsChangeDataFiles` whether the commit carries change data files
// and returns their `cdc` actions, or deletes what it wrote when none are needed. Stable API: the
// operations of issue 12 call it; keep its shape.

import type { Row } from '@lake/parquet'
import type { AddCDCFile } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { ChangeDataWriter } from '../files/cdc-files.js'
import type { ChangeType } from '../files/cdc-files.js'
import type { Snapshot } from '../snapshot/snapshot.js'
import type { RowChange } from './read-affected.js'
import { needsChangeDataFiles } from './cdc-plan.js'

/** How the operation ends, for the change data decision. */
export interface FinishChanges {
  /** The operation rewrote at least one data file copy-on-write. */
  readonly rewritesFiles: boolean
}

/** Collects the changes of one operation attempt. */
export interface ChangeSink {
  /** True when the table has `delta.enableChangeDataFeed=true` (otherwise `add` keeps nothing). */
  readonly enabled: boolean
  /**
   * Records one changed row: logical column names, partition columns included, values as the scan
   * returns them. `update_preimage` and `update_postimage` rows come in pairs, preimage first.
   * @throws StorageError or ParquetError when a full file fails to upload.
   */
  add(type: ChangeType, row: Row): Promise<void>
  /**
   * Records one changed row synchronously (from a `RowChange`): held in memory until `flush` (called
   * after each file) or `finish` writes it.
   */
  record(type: ChangeType, row: Row): void
  /**
   * Writes the rows `record` holds.
   * @throws as `add`.
   */
  flush(): Promise<void>
  /**
   * The `cdc` actions to stage (`Transaction.addCdcFiles`): every change recorded, when the commit needs
   * change data files; otherwise none (and the files written so far are deleted).
   * @throws StorageError or ParquetError from the last uploads (files written are deleted first).
   */
  finish(how: FinishChanges): Promise<readonly AddCDCFile[]>
  /** Deletes every file written (after a failed attempt, or when the commit failed). Best effort. */
  discard(): Promise<void>
}

/** Options of `createChangeSink`. */
export interface ChangeSinkOptions {
  /** Estimated bytes of a change data file before it rolls (default 128 MiB). */
  readonly targetFileBytes?: number
  readonly signal?: AbortSignal
}

type SinkSnapshot = Pick<Snapshot, 'schema' | 'partitionColumns' | 'columnMappingMode' | 'config'>

/**
 * A change sink for an operation over `snapshot`.
 * @example
 * const sink = createChangeSink(engine, snapshot)
 * await sink.add('update_preimage', before); await sink.add('update_postimage', after)
 * txn.addCdcFiles(await sink.finish({ rewritesFiles: true })) // on a failed commit: await sink.discard()
 */
export function createChangeSink(engine: Engine, snapshot: SinkSnapshot, options: ChangeSinkOptions = {}): ChangeSink {
  const enabled = snapshot.config.enableChangeDataFeed
  const writer = new ChangeDataWriter(engine, {
    schema: snapshot.schema,
    partitionColumns: snapshot.partitionColumns,
    columnMappingMode: snapshot.columnMappingMode,
    ...(options.targetFileBytes === undefined ? {} : { targetFileBytes: options.targetFileBytes }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  })
  let hasUpdates = false
  let held: [ChangeType, Row][] = []
  const flush = async (): Promise<void> => {
    const rows = held
    held = []
    for (const [type, row] of rows) await writer.write(type, row)
  }
  return {
    enabled,
    async add(type, row) {
      if (!enabled) return
      hasUpdates ||= type === 'update_preimage' || type === 'update_postimage'
      await writer.write(type, row)
    },
    record(type, row) {
      if (!enabled) return
      hasUpdates ||= type === 'update_preimage' || type === 'update_postimage'
      held.push([type, row])
    },
    flush,
    async finish(how) {
      if (!needsChangeDataFiles({ changeDataFeed: enabled, hasUpdates, rewritesFiles: how.rewritesFiles })) {
        held = []
        await writer.abort()
        return []
      }
      try {
        await flush()
        return [...(await writer.finish())]
      } catch (err) {
        await writer.abort()
        throw err
      }
    },
    discard: () => {
      held = []
      return writer.abort()
    },
  }
}

/** `change`, recording in `sink` each row it deletes as a `delete` change. */
export function recordingDeletes(change: RowChange, sink: Pick<ChangeSink, 'record'>): RowChange {
  return (row) => {
    const next = change(row)
    if (next === null) sink.record('delete', row)
    return next
  }
}
