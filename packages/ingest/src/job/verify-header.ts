// Guards against cross-talk: the job state must belong to this table (metaData.id), this appId
// and this source configuration (fingerprint); a new job writes its header first.

import type { Snapshot } from '@lake/core'
import { IngestError } from '../errors.js'
import type { JobHeader, JobStateStore } from './job-state.js'

/** Who is resuming. */
export interface JobIdentity {
  readonly appId: string
  /** The table, or undefined when it does not exist yet (its first batch creates it). */
  readonly snapshot: Snapshot | undefined
  /** `metaData.id` a new table gets when this job creates it (ignored when the table exists). */
  readonly newTableId: string
  readonly tableUri: string
  readonly sourceFingerprint: string
  /** The engine's clock (epoch ms), for the header's `createdAt`. */
  readonly now: () => number
}

/**
 * Writes the header of a new job, or checks the existing one. A job whose table does not exist
 * yet records the id its first batch will create the table with.
 * @returns the header (its `tableId` is the id of the table to create when there is none yet).
 * @throws IngestError `JobMismatch` naming the field, the expected and the found value.
 */
export async function verifyHeader(state: JobStateStore, id: JobIdentity, signal?: AbortSignal): Promise<JobHeader> {
  const tableId = id.snapshot?.metadata.id ?? id.newTableId
  const header =
    (await state.readHeader(signal)) ??
    (await state.createHeader(
      { formatVersion: 1, appId: id.appId, tableId, tableUri: id.tableUri, sourceFingerprint: id.sourceFingerprint, createdAt: new Date(id.now()).toISOString() },
      signal,
    ))
  // A job whose table does not exist yet resumes only at the URI it was started for (it then
  // creates the table with the id in its header); an existing table must have that id.
  const table: [string, string, string] = id.snapshot === undefined ? ['table URI', header.tableUri, id.tableUri] : ['table id', header.tableId, tableId]
  const checks: readonly [string, string, string][] = [
    ['appId', header.appId, id.appId],
    table,
    ['source fingerprint', header.sourceFingerprint, id.sourceFingerprint],
  ]
  for (const [field, stored, found] of checks) {
    if (stored !== found) {
      throw new IngestError(
        'JobMismatch',
        `job '${id.appId}' state at ${state.store.url}/${state.prefix}: expected ${field} '${stored}' (table ${header.tableUri}), found '${found}'; Help: a job resumes only into its own table from its own source; use a new appId`,
        { context: { appId: id.appId, field, expected: stored, found } },
      )
    }
  }
  return header
}
