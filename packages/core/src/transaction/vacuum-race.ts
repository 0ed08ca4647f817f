// Classification of VACUUM commits among the commits that won versions after our read version
// (Spark's `VACUUM START` / `VACUUM END`, which hold only commitInfo). A vacuum that ran while our
// transaction was writing may have deleted its not-yet-committed files: the commit loop waits for
// the vacuum to end, then checks through the engine that our files still exist. Pure.

import type { Action, AddFile } from '../actions/types.js'
import { isAbsolutePath } from '../actions/file-path.js'

/** The `operation` of Spark's vacuum commits. */
export const VACUUM_START_OPERATION = 'VACUUM START'
export const VACUUM_END_OPERATION = 'VACUUM END'

/** What the winning commits so far say about concurrent vacuums. */
export interface VacuumRace {
  /** Vacuums that started after our read version and have not ended yet. */
  readonly running: number
  /** The version of the first `VACUUM START` seen since the last file check, if any. */
  readonly startedAt: number | undefined
}

/** No vacuum seen. */
export const NO_VACUUM: VacuumRace = { running: 0, startedAt: undefined }

/** `start` / `end` for Spark's vacuum commits, `undefined` for any other commit. */
export function vacuumPhase(actions: readonly Action[]): 'start' | 'end' | undefined {
  const info = actions.find((a) => a.kind === 'commitInfo')
  if (info?.kind !== 'commitInfo') return undefined
  if (info.commitInfo.operation === VACUUM_START_OPERATION) return 'start'
  return info.commitInfo.operation === VACUUM_END_OPERATION ? 'end' : undefined
}

/**
 * The race state after winning commit `version`. An END pairs with a START seen after our read
 * version unless it says otherwise: lake's END records its START's version as `readVersion`, so an
 * END whose `readVersion` is before the first START we saw belongs to a vacuum that started before
 * we read. Such a vacuum listed the table before our files existed (vacuum fixes its cutoff and
 * listing before committing START), so it is ignored, as is any END while none is running.
 */
export function trackVacuum(state: VacuumRace, version: number, actions: readonly Action[]): VacuumRace {
  switch (vacuumPhase(actions)) {
    case 'start':
      return { running: state.running + 1, startedAt: state.startedAt ?? version }
    case 'end': {
      const info = actions.find((a) => a.kind === 'commitInfo')
      const readVersion = info?.kind === 'commitInfo' ? info.commitInfo.readVersion : undefined
      const isEarlier = readVersion !== undefined && state.startedAt !== undefined && readVersion < state.startedAt
      return state.running === 0 || isEarlier ? state : { ...state, running: state.running - 1 }
    }
    default:
      return state
  }
}

/**
 * The files our commit adds that a vacuum could have deleted: those with relative paths (inside
 * the table), in commit order. Absolute paths are never written by lake.
 */
export function filesAtRisk(actions: readonly Action[]): AddFile[] {
  return actions.flatMap((a) => (a.kind === 'add' && !isAbsolutePath(a.add.path) ? [a.add] : []))
}
