// The commitInfo fields of a write (operation, parameters, metrics) in Spark's shape, so that
// `history` in lake, Spark or delta-rs shows what each write did. Pure.
//
//   const info = writeCommitInfo({ mode: 'append', isCreate: false, partitionColumns: ['day'], adds, removes: [], numOutputRows: 10 })

import type { AddFile, RemoveFile } from '../../actions/types.js'
import type { CommitInfoFields } from '../../transaction/commit-request.js'
import type { SaveModeName } from '../../transaction/commit-info.js'
import type { WriteMode } from './plan.js'

const SAVE_MODE: Readonly<Record<WriteMode, SaveModeName>> = { append: 'Append', overwrite: 'Overwrite', error: 'ErrorIfExists', ignore: 'Ignore' }

/** What a write did, for its commitInfo. */
export interface WriteSummary {
  readonly mode: WriteMode
  readonly isCreate: boolean
  readonly partitionColumns: readonly string[]
  readonly replaceWhere?: string | undefined
  readonly adds: readonly AddFile[]
  readonly removes: readonly RemoveFile[]
  readonly numOutputRows: number
  readonly userMetadata?: string | undefined
  /** A new table's properties (its metadata's configuration): CREATE TABLE lists them, as Spark's does. */
  readonly properties?: Readonly<Record<string, string>> | undefined
}

/** commitInfo fields of a WRITE (or CREATE TABLE for an empty create), with Spark's metrics. */
export function writeCommitInfo(summary: WriteSummary): CommitInfoFields {
  const bytes = summary.adds.reduce((n, a) => n + a.size, 0)
  const removedBytes = summary.removes.reduce((n, r) => n + (r.size ?? 0), 0)
  const createOnly = summary.isCreate && summary.adds.length === 0
  return {
    operation: createOnly
      ? { kind: 'createTable', partitionBy: summary.partitionColumns, properties: summary.properties ?? {} }
      : {
          kind: 'write',
          mode: SAVE_MODE[summary.mode],
          partitionBy: summary.partitionColumns,
          ...(summary.replaceWhere === undefined ? {} : { predicate: summary.replaceWhere }),
        },
    operationMetrics: {
      numFiles: summary.adds.length,
      numOutputRows: summary.numOutputRows,
      numOutputBytes: bytes,
      ...(summary.removes.length === 0 ? {} : { numRemovedFiles: summary.removes.length, numRemovedBytes: removedBytes }),
    },
    ...(summary.userMetadata === undefined ? {} : { userMetadata: summary.userMetadata }),
  }
}
