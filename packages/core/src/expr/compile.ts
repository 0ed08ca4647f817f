// Compiles a bound expression into closures once (as rows/compile-coercer.ts does for types), so each
// row costs direct calls, not a tree walk. NULL propagates through every strict node; runtime errors
// (overflow, division by zero, invalid casts) are ExpressionError (ANSI mode).

import type { Row, Value } from '@lake/parquet'
import type { BoundColumn, BoundExpression } from './ast.js'
import { arithFunction, negateFunction } from './arithmetic.js'
import { castFunction } from './cast.js'
import { compilePredicate } from './compile-predicate.js'
import { functionImpl } from './functions.js'
import { expressionType } from './node-kinds.js'
import type { EvalContext, ScopeRows } from './scope.js'

/** A compiled expression: rows of the scope's relations in, value out. */
export type Compiled = (rows: ScopeRows) => Value

function field(value: Value | undefined, name: string): Value {
  if (value === null || value === undefined || typeof value !== 'object' || value instanceof Uint8Array || Array.isArray(value) || value instanceof Map) return null
  return (value as Row)[name] ?? null
}

function compileColumn(e: BoundColumn): Compiled {
  const r = e.relation
  const [first = '', ...rest] = e.path
  if (rest.length === 0) {
    return (rows) => {
      const row = rows[r]
      return row === undefined ? null : (Object.hasOwn(row, first) ? row[first] : null) ?? null
    }
  }
  return (rows) => {
    const row = rows[r]
    if (row === undefined) return null
    let value: Value = Object.hasOwn(row, first) ? (row[first] ?? null) : null
    for (const name of rest) value = field(value, name)
    return value
  }
}

function strict1(arg: Compiled, f: (v: Value) => Value): Compiled {
  return (rows) => {
    const v = arg(rows)
    return v === null ? null : f(v)
  }
}

function strict2(a: Compiled, b: Compiled, f: (x: Value, y: Value) => Value): Compiled {
  return (rows) => {
    const x = a(rows)
    if (x === null) return null
    const y = b(rows)
    return y === null ? null : f(x, y)
  }
}

function compileCase(e: BoundExpression & { kind: 'case' }, context: EvalContext): Compiled {
  const whens = e.branches.map((b) => compileNode(b.when, context))
  const thens = e.branches.map((b) => compileNode(b.then, context))
  const otherwise = e.otherwise === null ? () => null : compileNode(e.otherwise, context)
  const n = whens.length
  return (rows) => {
    for (let i = 0; i < n; i++) if ((whens[i] as Compiled)(rows) === true) return (thens[i] as Compiled)(rows)
    return otherwise(rows)
  }
}

function compileCall(e: BoundExpression & { kind: 'call' }, context: EvalContext): Compiled {
  const args = e.args.map((a) => compileNode(a, context))
  if (e.name === 'coalesce') {
    return (rows) => {
      for (const arg of args) {
        const v = arg(rows)
        if (v !== null) return v
      }
      return null
    }
  }
  const impl = functionImpl(e.name, context)
  if (args.length === 1) return strict1(args[0] as Compiled, (v) => impl([v]))
  return (rows) => {
    const values: Value[] = []
    for (const arg of args) {
      const v = arg(rows)
      if (v === null) return null
      values.push(v)
    }
    return impl(values)
  }
}

/** Compiles a bound expression; `context` fixes `current_timestamp()` / `current_date()`. */
export function compileNode(e: BoundExpression, context: EvalContext): Compiled {
  switch (e.kind) {
    case 'column':
      return compileColumn(e)
    case 'value': {
      const value = e.value
      return () => value
    }
    case 'negate':
      return strict1(compileNode(e.operand, context), negateFunction(e.type))
    case 'arith':
      return strict2(compileNode(e.left, context), compileNode(e.right, context), arithFunction(e.op, expressionType(e.left), expressionType(e.right), e.type))
    case 'cast':
      return strict1(compileNode(e.operand, context), castFunction(expressionType(e.operand), e.to))
    case 'case':
      return compileCase(e, context)
    case 'call':
      return compileCall(e, context)
    default:
      return compilePredicate(e, (child) => compileNode(child, context))
  }
}
