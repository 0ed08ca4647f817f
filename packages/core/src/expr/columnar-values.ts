// Value expressions evaluated a batch of columns at a time (the columnar predicate's operands): a
// column, a literal, unary minus, `+ - * / %` and CAST, each one loop over the batch with the row
// evaluator's own functions (arithmetic.ts, cast.ts), so every value is the one a row would get.
// NULL propagates (strict); a constant operand stays one value (literals, a file's partition values).
// Anything else (CASE, function calls, nested fields, other relations) cannot be compiled: undefined.

import type { Value } from '@lake/parquet'
import { arithFunction, negateFunction } from './arithmetic.js'
import type { BoundColumn, BoundExpression } from './ast.js'
import { castFunction } from './cast.js'
import { typeName } from './coerce.js'
import { expressionType } from './node-kinds.js'

/** A column of a batch: one value per row, or one value for every row (`scalar`). */
export type ColumnVector = { readonly scalar: true; readonly value: Value } | { readonly scalar: false; readonly values: ArrayLike<Value> }

/** The input of a columnar evaluation: `length` rows, and per column of `ColumnarInputs.columns` its vector. */
export interface ColumnarBatch {
  readonly length: number
  readonly columns: readonly ColumnVector[]
}

/** A compiled value expression: a batch in, one vector out. */
export type VectorFn = (batch: ColumnarBatch) => ColumnVector

/** The top-level columns a columnar expression reads (relation 0), in the order batches hold them. */
export interface ColumnarInputs {
  readonly columns: BoundColumn[]
  /** The slot of a column (by logical name) in `columns`, added on first use. */
  slot(column: BoundColumn): number
}

/** An empty set of inputs to compile expressions against. */
export function columnarInputs(): ColumnarInputs {
  const columns: BoundColumn[] = []
  const slots = new Map<string, number>()
  return {
    columns,
    slot(column) {
      const name = column.path[0] as string
      let slot = slots.get(name)
      if (slot === undefined) {
        slot = columns.push(column) - 1
        slots.set(name, slot)
      }
      return slot
    },
  }
}

/** A vector holding `value` for every row. */
export function scalar(value: Value): ColumnVector {
  return { scalar: true, value }
}

/** The value of row `i` of a vector. */
export function valueAt(v: ColumnVector, i: number): Value {
  return v.scalar ? v.value : (v.values[i] ?? null)
}

/** `f` on every row whose value is not null; null elsewhere. */
export function map1(n: number, a: ColumnVector, f: (x: Value) => Value): ColumnVector {
  if (a.scalar) return scalar(a.value === null ? null : f(a.value))
  const out = new Array<Value>(n)
  const values = a.values
  for (let i = 0; i < n; i++) {
    const x = values[i] ?? null
    out[i] = x === null ? null : f(x)
  }
  return { scalar: false, values: out }
}

/** `f` on every row where both values are not null; null elsewhere. */
export function map2(n: number, a: ColumnVector, b: ColumnVector, f: (x: Value, y: Value) => Value): ColumnVector {
  if (a.scalar && b.scalar) return scalar(a.value === null || b.value === null ? null : f(a.value, b.value))
  if (b.scalar) return b.value === null ? scalar(null) : map1(n, a, (x) => f(x, b.value))
  const out = new Array<Value>(n)
  for (let i = 0; i < n; i++) {
    const x = valueAt(a, i)
    const y = valueAt(b, i)
    out[i] = x === null || y === null ? null : f(x, y)
  }
  return { scalar: false, values: out }
}

const SMALL_DIVISOR = 4096

/**
 * `long % d` for a literal `d` with 0 < |d| <= 4096 (`id % 100`): through doubles, exact for safe
 * integers (the remainder keeps the dividend's sign, as bigint `%` does), each result one of the
 * precomputed bigints (no allocation per row). Undefined (use the generic path) for a batch holding
 * a value beyond 2^53 - 1.
 */
function smallRemainder(d: Value): ((n: number, a: ColumnVector) => ColumnVector | undefined) | undefined {
  if (typeof d !== 'bigint' || d === 0n || d > BigInt(SMALL_DIVISOR) || d < -BigInt(SMALL_DIVISOR)) return undefined
  const divisor = Number(d)
  const size = Math.abs(divisor)
  const results = Array.from({ length: 2 * size - 1 }, (_, i) => BigInt(i - size + 1))
  return (n, a) => {
    if (a.scalar) return undefined
    const out = new Array<Value>(n)
    const values = a.values
    for (let i = 0; i < n; i++) {
      const x = values[i] ?? null
      if (x === null) {
        out[i] = null
        continue
      }
      const v = Number(x as bigint)
      if (!Number.isSafeInteger(v)) return undefined
      out[i] = results[(v % divisor) + size - 1] as bigint
    }
    return { scalar: false, values: out }
  }
}

function columnFn(e: BoundColumn, inputs: ColumnarInputs): VectorFn | undefined {
  if (e.relation !== 0 || e.path.length !== 1) return undefined
  const slot = inputs.slot(e)
  return (batch) => batch.columns[slot] as ColumnVector
}

/** Compiles a value expression for batches; undefined when a node is not one this evaluator covers. */
export function compileVector(e: BoundExpression, inputs: ColumnarInputs): VectorFn | undefined {
  switch (e.kind) {
    case 'column':
      return columnFn(e, inputs)
    case 'value': {
      const v = scalar(e.value)
      return () => v
    }
    case 'negate': {
      const operand = compileVector(e.operand, inputs)
      const f = negateFunction(e.type)
      return operand === undefined ? undefined : (batch) => map1(batch.length, operand(batch), f)
    }
    case 'arith': {
      const left = compileVector(e.left, inputs)
      const right = compileVector(e.right, inputs)
      const f = arithFunction(e.op, expressionType(e.left), expressionType(e.right), e.type)
      if (left === undefined || right === undefined) return undefined
      const remainder = e.op === '%' && typeName(e.type) === 'long' && e.right.kind === 'value' ? smallRemainder(e.right.value) : undefined
      if (remainder !== undefined) return (batch) => remainder(batch.length, left(batch)) ?? map2(batch.length, left(batch), right(batch), f)
      return (batch) => map2(batch.length, left(batch), right(batch), f)
    }
    case 'cast': {
      const operand = compileVector(e.operand, inputs)
      const f = castFunction(expressionType(e.operand), e.to)
      return operand === undefined ? undefined : (batch) => map1(batch.length, operand(batch), f)
    }
    default:
      return undefined
  }
}
