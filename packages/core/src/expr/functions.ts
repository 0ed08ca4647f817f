// The functions of the language: signatures (arity, argument types, result type, checked at bind
// time) and their per-row implementations. Every function but COALESCE returns NULL when an argument is NULL.

import type { DataType, Value } from '@lake/parquet'
import { formatTimestamp } from '../partition/temporal.js'
import type { BoundExpression, CallNode, Expression } from './ast.js'
import type { Binding } from './bind-support.js'
import { commonTypeOf, implicitCast } from './bind-support.js'
import { castAllowed } from './cast-rules.js'
import { typeName } from './coerce.js'
import { expressionType } from './node-kinds.js'
import { PredicateError } from './predicate-error.js'
import { ExpressionError } from './expression-error.js'
import type { EvalContext } from './scope.js'
import { STRING, isPrimitive, isVoid } from './type-rules.js'

const INTEGER: DataType = { kind: 'primitive', name: 'integer' }

interface Signature {
  readonly min: number
  readonly max: number
  /** Argument types (the last repeats); `any` for COALESCE. */
  readonly args: readonly (DataType | 'any' | 'text')[]
  readonly result: DataType | 'common'
}

const SIGNATURES: ReadonlyMap<string, Signature> = new Map<string, Signature>([
  ['coalesce', { min: 1, max: Infinity, args: ['any'], result: 'common' }],
  ['upper', { min: 1, max: 1, args: [STRING], result: STRING }],
  ['lower', { min: 1, max: 1, args: [STRING], result: STRING }],
  ['trim', { min: 1, max: 1, args: [STRING], result: STRING }],
  ['length', { min: 1, max: 1, args: ['text'], result: INTEGER }],
  ['concat', { min: 1, max: Infinity, args: [STRING], result: STRING }],
  ['substring', { min: 2, max: 3, args: [STRING, INTEGER, INTEGER], result: STRING }],
  ['substr', { min: 2, max: 3, args: [STRING, INTEGER, INTEGER], result: STRING }],
  ['current_timestamp', { min: 0, max: 0, args: [], result: { kind: 'primitive', name: 'timestamp' } }],
  ['current_date', { min: 0, max: 0, args: [], result: { kind: 'primitive', name: 'date' } }],
])

function argument(e: CallNode<Expression>, arg: BoundExpression, expected: DataType | 'any' | 'text'): BoundExpression {
  if (expected === 'any') return arg
  const type = expressionType(arg)
  if (expected === 'text') return isPrimitive(type, 'binary') ? arg : argument(e, arg, STRING)
  if (isVoid(type)) return implicitCast(arg, expected)
  const ok = isPrimitive(expected, 'string') ? castAllowed(type, STRING) && (type.kind === 'primitive' || type.kind === 'decimal') : type.kind === 'primitive' && ['byte', 'short', 'integer'].includes(type.name)
  if (!ok) throw new PredicateError(`${e.name}() expects ${typeName(expected)} arguments, found ${typeName(type)}`, arg.pos)
  return implicitCast(arg, expected)
}

/**
 * Binds a function call: known name, arity, argument types (implicit casts to string / int).
 * @throws PredicateError naming the function and position.
 */
export function bindCall(b: Binding, e: CallNode<Expression>): BoundExpression {
  const signature = SIGNATURES.get(e.name)
  if (signature === undefined) throw new PredicateError(`unknown function ${e.name}(): expected one of ${[...SIGNATURES.keys()].join(', ')}`, e.pos)
  const n = e.args.length
  if (n < signature.min || n > signature.max) {
    const expected = signature.max === Infinity ? `at least ${signature.min}` : signature.min === signature.max ? `${signature.min}` : `${signature.min} to ${signature.max}`
    throw new PredicateError(`${e.name}() takes ${expected} arguments, found ${n}`, e.pos)
  }
  if (e.name === 'current_timestamp' || e.name === 'current_date') return bindNow(b, e.name, e.pos)
  const bound = e.args.map((a) => b.expr(a))
  if (signature.result === 'common') {
    const type = commonTypeOf(bound, `${e.name}() arguments`)
    return { kind: 'call', name: e.name, args: bound.map((a) => implicitCast(a, type)), type, pos: e.pos }
  }
  const args = bound.map((a, i) => argument(e, a, signature.args[Math.min(i, signature.args.length - 1)] ?? 'any'))
  return { kind: 'call', name: e.name, args, type: signature.result, pos: e.pos }
}

function nowValue(name: string, nowMs: number): string {
  const timestamp = formatTimestamp(BigInt(nowMs) * 1000n)
  return name === 'current_date' ? timestamp.slice(0, 10) : timestamp
}

function bindNow(b: Binding, name: 'current_timestamp' | 'current_date', pos: number): BoundExpression {
  const type: DataType = { kind: 'primitive', name: name === 'current_date' ? 'date' : 'timestamp' }
  if (b.now === 'deferred') return { kind: 'call', name, args: [], type, pos }
  if (b.now === 'refused') {
    throw new PredicateError(`${name}() is not allowed here: expected a deterministic expression (CHECK constraints, generation expressions and filters bound without an operation time)`, pos)
  }
  return { kind: 'value', value: nowValue(name, b.now), type, pos }
}

function codePoints(s: string): string[] {
  return Array.from(s)
}

/** Spark's substring: 1-based, 0 reads as 1, negative counts from the end; a negative length is empty. */
function substring(s: string, pos: number, len: number | undefined): string {
  const chars = /[\uD800-\uDFFF]/.test(s) ? codePoints(s) : null
  const size = chars === null ? s.length : chars.length
  const start = pos > 0 ? pos - 1 : pos < 0 ? Math.max(size + pos, 0) : 0
  const wanted = len === undefined ? size : pos < 0 && size + pos < 0 ? Math.max(len + size + pos, 0) : Math.max(len, 0)
  const end = Math.min(start + wanted, size)
  if (start >= end) return ''
  return chars === null ? s.slice(start, end) : chars.slice(start, end).join('')
}

function trimSpaces(s: string): string {
  let a = 0
  let b = s.length
  while (a < b && s.charCodeAt(a) === 32) a++
  while (b > a && s.charCodeAt(b - 1) === 32) b--
  return s.slice(a, b)
}

/** The implementation of a strict function (NULL in, NULL out is handled by the caller). */
export function functionImpl(name: string, context: EvalContext): (args: readonly Value[]) => Value {
  switch (name) {
    case 'upper':
      return (a) => (a[0] as string).toUpperCase()
    case 'lower':
      return (a) => (a[0] as string).toLowerCase()
    case 'trim':
      return (a) => trimSpaces(a[0] as string)
    case 'length':
      return (a) => (a[0] instanceof Uint8Array ? a[0].length : codePoints(a[0] as string).length)
    case 'concat':
      return (a) => (a as readonly string[]).join('')
    case 'substring':
    case 'substr':
      return (a) => substring(a[0] as string, a[1] as number, a[2] as number | undefined)
    default: {
      if (!Number.isFinite(context.nowMs)) {
        throw new ExpressionError('InvalidArgument', `${name}() needs the operation's time: expected an EvalContext with nowMs, found none`, { context: { function: name } })
      }
      const value = nowValue(name, context.nowMs)
      return () => value
    }
  }
}
