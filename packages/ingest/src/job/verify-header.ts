// Guards against cross-talk: the job state must belong to this table (metaData.id), this appId
// and this source configuration (fingerprint); a new job writes its header first.

import type { Snapshot } from '@lake/core'
import { IngestError } from '../errors.js'
import type { JobStateStore } from './job-state.js'

/** Who is resuming. */
export interface JobIdentity {
  readonly appId: string
  readonly snapshot: Snapshot
  readonly tableUri: string
  readonly sourceFingerprint: string
  /** The engine's clock (epoch ms), for the header's `createdAt`. */
  readonly now: () => number
}

/**
 * Writes the header of a new job, or checks the existing one.
 * @throws IngestError `JobMismatch` naming the field, the expected and the found value.
 */
export async function verifyHeader(state: JobStateStore, id: JobIdentity, signal?: AbortSignal): Promise<void> {
  const header =
    (await state.readHeader(signal)) ??
    (await state.createHeader(
      { formatVersion: 1, appId: id.appId, tableId: id.snapshot.metadata.id, tableUri: id.tableUri, sourceFingerprint: id.sourceFingerprint, createdAt: new Date(id.now()).toISOString() },
      signal,
    ))
  const checks: readonly [string, string, string][] = [
    ['appId', header.appId, id.appId],
    ['table id', header.tableId, id.snapshot.metadata.id],
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
}
