// Positions in a table stream and the offsets a checkpoint records, in the shape of Spark's
// `DeltaSourceOffset` (sourceVersion 1, reservoirId, reservoirVersion, index, isStartingVersion). Pure.
//
//   const after = { version: 3, index: -1, isStartingVersion: false } // before the first file of version 3

import { StreamError } from '../../errors.js'

/** Index of the position before the first file of a version (Spark's BASE_INDEX). */
export const BASE_INDEX = -1

/**
 * Index of the position after every file of a version (Spark's END_INDEX, as a safe integer): a batch
 * that read its commits whole, or only commits contributing nothing, ends there, so the next one
 * starts at the following version.
 */
export const END_INDEX = Number.MAX_SAFE_INTEGER

/**
 * A place in the stream: file `index` of `version`. `isStartingVersion` positions are the files of
 * the starting snapshot at `version` (sorted by modification time, then path); the others are the
 * data-changing `add` actions of commit `version`, in commit order.
 */
export interface StreamPosition {
  readonly version: number
  readonly index: number
  readonly isStartingVersion: boolean
}

/** The offset JSON line of Spark's offsets log, for one source. */
export interface StreamOffset extends StreamPosition {
  readonly reservoirId: string
}

/** The first commit version still to read after `after`. */
export function nextCommitVersion(after: StreamPosition): number {
  return after.isStartingVersion || after.index === END_INDEX ? after.version + 1 : after.version
}

/** True when `a` comes before `b` in the stream. */
export function isBefore(a: StreamPosition, b: StreamPosition): boolean {
  return a.version < b.version || (a.version === b.version && a.index < b.index)
}

/** The offset as Spark writes it (`reservoirVersion` for the version). */
export function offsetJson(offset: StreamOffset): string {
  return JSON.stringify({
    sourceVersion: 1,
    reservoirId: offset.reservoirId,
    reservoirVersion: offset.version,
    index: offset.index,
    isStartingVersion: offset.isStartingVersion,
  })
}

/**
 * Parses an offset line.
 * @throws StreamError `InvalidArgument` naming `where` when the line is not an offset.
 */
export function parseOffset(text: string, where: string): StreamOffset {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (cause) {
    throw new StreamError('InvalidArgument', `${where}: expected an offset JSON object, found ${JSON.stringify(text.slice(0, 80))}`, { cause, context: { where } })
  }
  const o = (typeof value === 'object' && value !== null ? value : {}) as Readonly<Record<string, unknown>>
  const { reservoirId, reservoirVersion, index, isStartingVersion } = o
  if (typeof reservoirId !== 'string' || !Number.isSafeInteger(reservoirVersion) || !Number.isSafeInteger(index) || typeof isStartingVersion !== 'boolean') {
    throw new StreamError('InvalidArgument', `${where}: expected reservoirId, reservoirVersion, index and isStartingVersion, found ${text.slice(0, 200)}`, {
      context: { where },
    })
  }
  return { reservoirId, version: reservoirVersion as number, index: index as number, isStartingVersion }
}
