// The VACUUM START / VACUUM END commits Spark's VacuumCommand writes around its deletes: commitInfo
// only, operation parameters and metrics as Spark names them. They let concurrent writers see that
// a vacuum ran (see `transaction/vacuum-race.ts`).

import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import type { CommitOperation } from '../../transaction/commit-info.js'

/** One of the two vacuum operations. */
export type VacuumOperation = Extract<CommitOperation, { kind: 'vacuumStart' | 'vacuumEnd' }>

/**
 * Commits `operation` with `metrics` (START: `numFilesToDelete`, `sizeOfDataToDelete`; END:
 * `numDeletedFiles`, `numVacuumedDirectories`) on top of `snapshot`; returns the committed version.
 * A commit without actions conflicts with nothing but a protocol change.
 * @throws CommitConflictError `ProtocolChanged`; CommitAttemptsExhaustedError; StorageError.
 */
export async function commitVacuumPhase(
  engine: Engine,
  snapshot: Snapshot,
  operation: VacuumOperation,
  metrics: Readonly<Record<string, number>>,
  signal: AbortSignal | undefined,
): Promise<number> {
  const result = await Transaction.begin(engine, snapshot, { operation, signal }).setMetrics(metrics).commitOrThrow()
  return result.version
}
