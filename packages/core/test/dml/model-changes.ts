// The change data feed half of the model-based DML test (docs/row-level-plan.md §11): the model records
// each version's changes (insert, delete, update_preimage/update_postimage with their rows); the check
// reads `changes()` for every range a..b of the table and compares it with the model's changes of those
// versions, as multisets per version. Kept apart from model.test.ts so each DML command adds one line.

import { expect } from 'vitest'
import { DeltaTable } from '../../src/index.js'
import type { Engine, Row } from '../../src/index.js'
import type { ChangeType } from '../../src/internal.js'
import type { TestRow } from './helpers.js'

const key = (version: number, type: string, r: TestRow): string => `${version}:${type}:${r.id}:${String(r.p)}:${String(r.v)}`

function keys(rows: readonly Row[]): string[] {
  const row = (r: Row): TestRow => ({ id: Number(r['id']), p: (r['p'] ?? null) as string | null, v: (r['v'] ?? null) as number | null })
  return rows.map((r) => key(Number(r['_commit_version']), String(r['_change_type']), row(r))).sort()
}

/** The changes each version of the model made. */
export class ChangeModel {
  readonly #byVersion = new Map<number, string[]>()

  /** Records the changes of committed `version` (call once per version; versions without changes need no call). */
  record(version: number, changes: readonly (readonly [ChangeType, TestRow])[]): void {
    this.#byVersion.set(version, [...(this.#byVersion.get(version) ?? []), ...changes.map(([type, r]) => key(version, type, r))])
  }

  /** The model's changes of versions from..to, sorted. */
  expected(from: number, to: number): string[] {
    const out: string[] = []
    for (let v = from; v <= to; v++) out.push(...(this.#byVersion.get(v) ?? []))
    return out.sort()
  }

  /** Asserts `changes({ startingVersion: a, endingVersion: b })` equals the model for every 0 <= a <= b <= latest. */
  async check(engine: Engine, latest: number): Promise<void> {
    const table = await DeltaTable.open(engine)
    expect(keys(await table.changes({ startingVersion: 0 }).toArray()), 'changes from version 0').toEqual(this.expected(0, latest))
    for (let a = 0; a <= latest; a++) {
      for (let b = a; b <= latest; b++) {
        expect(keys(await table.changes({ startingVersion: a, endingVersion: b }).toArray()), `changes ${a}..${b}`).toEqual(this.expected(a, b))
      }
    }
  }
}
