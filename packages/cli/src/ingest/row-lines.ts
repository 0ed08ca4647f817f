// Where the rows of `lake ingest` came from: the writers number rows from 0 across the input
// ("in row 2"); a person looks for line 3 of the file. Keeps only the points where the distance
// between row index and position changes (blank lines, a CSV header, multi-line CSV records), so
// memory stays small whatever the input's size.

import { SchemaError } from '@lake/core'
import type { JsonValue } from '@lake/ingest'
import { isLakeError } from '@lake/storage'

/** What a position counts: NDJSON sources number lines, CSV sources records. */
export type PositionUnit = 'line' | 'record'

/** Maps 0-based row indexes of the input to the 1-based positions their source reported. */
export class RowLines {
  readonly #unit: PositionUnit
  /** [first row, position - row] pairs, rows ascending. */
  readonly #steps: [number, number][] = []

  constructor(unit: PositionUnit) {
    this.#unit = unit
  }

  /** Records that row `row` (0-based) is at `position` (a 1-based number; other positions are ignored). */
  note(row: number, position: JsonValue): void {
    if (typeof position !== 'number') return
    const offset = position - row
    if (this.#steps.at(-1)?.[1] !== offset) this.#steps.push([row, offset])
  }

  /** The position of row `row`, or undefined when nothing was noted up to it. */
  positionOf(row: number): number | undefined {
    let lo = 0
    let hi = this.#steps.length - 1
    let found: [number, number] | undefined
    while (lo <= hi) {
      const mid = (lo + hi) >> 1
      const step = this.#steps[mid] as [number, number]
      if (step[0] <= row) {
        found = step
        lo = mid + 1
      } else {
        hi = mid - 1
      }
    }
    return found === undefined ? undefined : row + found[1]
  }

  /**
   * `err` with "in row N" said as "on line L" (or "in record L"), and `line`/`record` in its context,
   * when it is a SchemaError naming a row the input holds; otherwise `err` itself.
   */
  relabel(err: unknown): unknown {
    if (!isLakeError(err) || !(err instanceof SchemaError)) return err
    const row = err.context['row']
    if (typeof row !== 'number') return err
    const position = this.positionOf(row)
    if (position === undefined) return err
    const where = this.#unit === 'line' ? `on line ${position}` : `in record ${position}`
    const message = err.message.replace(new RegExp(`\\bin row ${row}\\b`), where)
    return new SchemaError(err.code, message, { context: { ...err.context, [this.#unit]: position }, cause: err })
  }
}
