// Columnar predicates: a bound predicate evaluated over a batch of columns at a time, giving the
// positions where it is TRUE (SQL three-valued logic: FALSE and NULL do not match). The answer is the
// row evaluator's (compile-predicate.ts) for every row: the same comparators and value functions, and
// truth values kept three-valued (0 false, 1 true, 2 null) through AND/OR/NOT.
// Every node is evaluated for every row (no short-circuit): where the row evaluator would not have
// evaluated a node, the columnar one may throw an ExpressionError the row one never meets. Callers
// treat an ExpressionError as "answer this batch row by row" (the row evaluator then throws, or not).
//
//   const columnar = compileColumnarPredicate(bindPredicate('id % 100 = 7', schema))
//   const positions = columnar?.select({ length: n, columns: [{ scalar: false, values: ids }] })

import type { Value } from '@lake/parquet'
import type { BoundColumn, BoundExpression, BoundPredicate, CompareOp } from './ast.js'
import { columnarInputs, compileVector, valueAt } from './columnar-values.js'
import type { ColumnarBatch, ColumnarInputs, ColumnVector, VectorFn } from './columnar-values.js'
import { compareValues } from './compare.js'
import { COMPARE_TESTS, comparator } from './compile-predicate.js'
import { likeRegExp } from './like.js'
import { expressionType } from './node-kinds.js'

export type { ColumnarBatch, ColumnVector } from './columnar-values.js'

const FALSE = 0
const TRUE = 1
const NULL = 2

/** Per row 0 (FALSE), 1 (TRUE) or 2 (NULL). */
type TruthFn = (batch: ColumnarBatch) => Uint8Array

/** A predicate compiled for batches of its columns. */
export interface ColumnarPredicate {
  /** The top-level columns (relation 0) a batch must hold, in this order. */
  readonly columns: readonly BoundColumn[]
  /**
   * The positions (ascending) of the batch's rows the predicate is TRUE on.
   * @throws ExpressionError where an operand fails on some row (overflow, division by zero, a bad cast or LIKE pattern).
   */
  select(batch: ColumnarBatch): number[]
}

/** Compiles `p` for batches; undefined when it uses what the columnar evaluator does not cover (CASE, functions, nested fields). */
export function compileColumnarPredicate(p: BoundPredicate): ColumnarPredicate | undefined {
  const inputs = columnarInputs()
  const truth = compileTruth(p, inputs)
  if (truth === undefined) return undefined
  return {
    columns: inputs.columns,
    select(batch) {
      const t = truth(batch)
      const out: number[] = []
      for (let i = 0; i < batch.length; i++) if (t[i] === TRUE) out.push(i)
      return out
    },
  }
}

function fill(n: number, value: boolean | null): Uint8Array {
  return new Uint8Array(n).fill(value === null ? NULL : value ? TRUE : FALSE)
}

function truthOf(b: boolean): number {
  return b ? TRUE : FALSE
}

function compareFn(op: CompareOp, left: BoundExpression, right: BoundExpression, inputs: ColumnarInputs): TruthFn | undefined {
  const a = compileVector(left, inputs)
  const b = compileVector(right, inputs)
  if (a === undefined || b === undefined) return undefined
  const compare = comparator(left, right)
  const test = COMPARE_TESTS[op]
  return (batch) => {
    const x = a(batch)
    const y = b(batch)
    const out = new Uint8Array(batch.length)
    if (!x.scalar && y.scalar) return compareToScalar(x.values, y.value, (u, v) => truthOf(test(compare(u, v))), out)
    for (let i = 0; i < batch.length; i++) {
      const u = valueAt(x, i)
      const v = valueAt(y, i)
      out[i] = u === null || v === null ? NULL : truthOf(test(compare(u, v)))
    }
    return out
  }
}

/** A comparison of a column with one value (the common `column op literal`), in one loop. */
function compareToScalar(values: ArrayLike<Value>, v: Value, truth: (u: Value, v: Value) => number, out: Uint8Array): Uint8Array {
  if (v === null) return out.fill(NULL)
  for (let i = 0; i < out.length; i++) {
    const u = values[i] ?? null
    out[i] = u === null ? NULL : truth(u, v)
  }
  return out
}

function logic(kind: 'and' | 'or', a: TruthFn, b: TruthFn): TruthFn {
  const dominant = kind === 'and' ? FALSE : TRUE
  return (batch) => {
    const x = a(batch)
    const y = b(batch)
    for (let i = 0; i < batch.length; i++) {
      const u = x[i] as number
      const v = y[i] as number
      x[i] = u === dominant || v === dominant ? dominant : u === NULL || v === NULL ? NULL : u
    }
    return x
  }
}

function negate(t: TruthFn): TruthFn {
  return (batch) => {
    const x = t(batch)
    for (let i = 0; i < batch.length; i++) if (x[i] !== NULL) x[i] = x[i] === TRUE ? FALSE : TRUE
    return x
  }
}

function inFn(p: BoundPredicate & { kind: 'in' }, inputs: ColumnarInputs): TruthFn | undefined {
  const operand = compileVector(p.operand, inputs)
  const values = p.values.map((v) => compileVector(v, inputs))
  if (operand === undefined || values.some((v) => v === undefined)) return undefined
  const type = expressionType(p.operand)
  return (batch) => {
    const x = operand(batch)
    const list = (values as VectorFn[]).map((v) => v(batch))
    const out = new Uint8Array(batch.length)
    for (let i = 0; i < batch.length; i++) {
      const u = valueAt(x, i)
      if (u === null) {
        out[i] = NULL
        continue
      }
      let result = FALSE
      for (const vector of list) {
        const v = valueAt(vector, i)
        if (v === null) result = NULL
        else if (compareValues(u, v, type) === 0) {
          result = TRUE
          break
        }
      }
      out[i] = result
    }
    return out
  }
}

function isNullFn(p: BoundPredicate & { kind: 'isNull' }, inputs: ColumnarInputs): TruthFn | undefined {
  const operand = compileVector(p.operand, inputs)
  if (operand === undefined) return undefined
  return (batch) => {
    const x = operand(batch)
    const out = new Uint8Array(batch.length)
    for (let i = 0; i < batch.length; i++) out[i] = truthOf((valueAt(x, i) === null) !== p.negated)
    return out
  }
}

function likeFn(p: BoundPredicate & { kind: 'like' }, inputs: ColumnarInputs): TruthFn | undefined {
  const operand = compileVector(p.operand, inputs)
  const pattern = compileVector(p.pattern, inputs)
  if (operand === undefined || pattern === undefined) return undefined
  return (batch) => {
    const x: ColumnVector = operand(batch)
    const y: ColumnVector = pattern(batch)
    const out = new Uint8Array(batch.length)
    let last: Value = null
    let regExp = /^$/
    for (let i = 0; i < batch.length; i++) {
      const s = valueAt(x, i)
      const pat = s === null ? null : valueAt(y, i)
      if (s === null || pat === null) {
        out[i] = NULL
        continue
      }
      if (pat !== last) {
        regExp = likeRegExp(pat as string, p.escape)
        last = pat
      }
      out[i] = truthOf(regExp.test(s as string))
    }
    return out
  }
}

function compileTruth(p: BoundPredicate, inputs: ColumnarInputs): TruthFn | undefined {
  const sub = (q: BoundPredicate): TruthFn | undefined => compileTruth(q, inputs)
  switch (p.kind) {
    case 'const': {
      const value = p.value
      return (batch) => fill(batch.length, value)
    }
    case 'compare':
      return compareFn(p.op, p.left, p.right, inputs)
    case 'and':
    case 'or': {
      const a = sub(p.left)
      const b = sub(p.right)
      return a === undefined || b === undefined ? undefined : logic(p.kind, a, b)
    }
    case 'not': {
      const a = sub(p.operand)
      return a === undefined ? undefined : negate(a)
    }
    case 'in': {
      const t = inFn(p, inputs)
      return t === undefined || !p.negated ? t : negate(t)
    }
    case 'isNull':
      return isNullFn(p, inputs)
    case 'between': {
      const low = compareFn('>=', p.operand, p.low, inputs)
      const high = compareFn('<=', p.operand, p.high, inputs)
      if (low === undefined || high === undefined) return undefined
      const range = logic('and', low, high)
      return p.negated ? negate(range) : range
    }
    case 'like': {
      const t = likeFn(p, inputs)
      return t === undefined || !p.negated ? t : negate(t)
    }
  }
}
