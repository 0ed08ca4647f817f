// Model-based DELETE test (docs/row-level-plan.md §11): random sequences of appends and deletes with
// random predicates over a small schema, DV on and off, partitioned and not, applied to a table and
// to an in-memory model (an array of rows). After every step the table equals the model, the DELETE
// metrics count the model's deleted rows, and at the end every earlier version equals the model then and,
// with the change data feed on, changes(a, b) equals the model's changes of versions a..b (model-changes.ts).

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../../src/index.js'
import { newTable, rowsAt, sortRows, toRow } from './helpers.js'
import type { TestRow } from './helpers.js'
import { ChangeModel } from './model-changes.js'

type Pred =
  | { readonly op: 'cmp'; readonly col: 'id' | 'v'; readonly cmp: '<' | '>=' | '='; readonly value: number }
  | { readonly op: 'isNull'; readonly not: boolean }
  | { readonly op: 'pIn'; readonly values: readonly string[] }
  | { readonly op: 'and' | 'or'; readonly left: Pred; readonly right: Pred }
  | { readonly op: 'not'; readonly inner: Pred }

type Command = { readonly kind: 'append'; readonly rows: readonly TestRow[] } | { readonly kind: 'delete'; readonly pred: Pred | undefined }

const P_VALUES = ['a', 'b', 'c']

const leaf: fc.Arbitrary<Pred> = fc.oneof(
  fc.record({ op: fc.constant('cmp' as const), col: fc.constantFrom('id' as const, 'v' as const), cmp: fc.constantFrom('<' as const, '>=' as const, '=' as const), value: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ op: fc.constant('isNull' as const), not: fc.boolean() }),
  fc.record({ op: fc.constant('pIn' as const), values: fc.subarray(P_VALUES, { minLength: 1 }) }),
)
const pred: fc.Arbitrary<Pred> = fc.letrec<{ p: Pred }>((tie) => ({
  p: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ op: fc.constantFrom('and' as const, 'or' as const), left: tie('p'), right: tie('p') }),
    fc.record({ op: fc.constant('not' as const), inner: tie('p') }),
  ),
})).p

const row: fc.Arbitrary<TestRow> = fc.record({
  id: fc.integer({ min: 0, max: 30 }),
  p: fc.constantFrom(...P_VALUES),
  v: fc.option(fc.integer({ min: 0, max: 30 }), { freq: 5, nil: null }),
})
const command: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), rows: fc.array(row, { minLength: 1, maxLength: 12 }) }),
  fc.record({ kind: fc.constant('delete' as const), pred: fc.option(pred, { freq: 8, nil: undefined }) }),
)

function sql(p: Pred): string {
  switch (p.op) {
    case 'cmp':
      return `${p.col} ${p.cmp} ${p.value}`
    case 'isNull':
      return `v IS ${p.not ? 'NOT ' : ''}NULL`
    case 'pIn':
      return `p IN (${p.values.map((v) => `'${v}'`).join(', ')})`
    case 'and':
    case 'or':
      return `(${sql(p.left)}) ${p.op.toUpperCase()} (${sql(p.right)})`
    case 'not':
      return `NOT (${sql(p.inner)})`
  }
}

/** SQL three-valued evaluation: true, false or null (unknown). */
function evaluate(p: Pred, r: TestRow): boolean | null {
  switch (p.op) {
    case 'cmp': {
      const x = r[p.col]
      if (x === null) return null
      return p.cmp === '<' ? x < p.value : p.cmp === '>=' ? x >= p.value : x === p.value
    }
    case 'isNull':
      return (r.v === null) !== p.not
    case 'pIn':
      return r.p === null ? null : p.values.includes(r.p)
    case 'and': {
      const [a, b] = [evaluate(p.left, r), evaluate(p.right, r)]
      return a === false || b === false ? false : a === null || b === null ? null : true
    }
    case 'or': {
      const [a, b] = [evaluate(p.left, r), evaluate(p.right, r)]
      return a === true || b === true ? true : a === null || b === null ? null : false
    }
    case 'not': {
      const a = evaluate(p.inner, r)
      return a === null ? null : !a
    }
  }
}

async function run(dv: boolean, partitioned: boolean, cdf: boolean, commands: readonly Command[]): Promise<void> {
  const { engine } = await newTable({ dv, partitioned, cdf })
  const feed = new ChangeModel()
  const versions: TestRow[][] = [[]]
  let model: TestRow[] = []
  for (const c of commands) {
    const table = await DeltaTable.open(engine)
    if (c.kind === 'append') {
      await table.write(c.rows.map(toRow))
      model = [...model, ...c.rows]
      versions.push(model)
      feed.record(versions.length - 1, c.rows.map((r) => ['insert', r] as const))
    } else {
      const deleted = model.filter((r) => c.pred === undefined || evaluate(c.pred, r) === true)
      const result = await table.delete(c.pred === undefined ? undefined : sql(c.pred))
      expect(result.metrics.numDeletedRows).toBe(deleted.length)
      model = model.filter((r) => !deleted.includes(r))
      if (result.version !== undefined) versions.push(model)
      if (result.version !== undefined) feed.record(result.version, deleted.map((r) => ['delete', r] as const))
      if (deleted.length > 0) expect(result.version).toBe(versions.length - 1)
      if (result.version === undefined) expect(deleted).toEqual([])
    }
    expect(await rowsAt(engine)).toEqual(sortRows(model))
  }
  for (const [version, rows] of versions.entries()) expect(await rowsAt(engine, version)).toEqual(sortRows(rows))
  if (cdf) await feed.check(engine, versions.length - 1)
}

describe('DELETE against an in-memory model', () => {
  it.each([
    [true, false, false],
    [true, true, true],
    [false, false, true],
    [false, true, false],
  ])('random appends and deletes agree with the model (DV %s, partitioned %s, change data feed %s), at every version', async (dv, partitioned, cdf) => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: 8 }), (commands) => run(dv, partitioned, cdf, commands)),
      { numRuns: 15 },
    )
  }, 120_000)
})
