// SQL text of an expression (parsed or bound), for commitInfo `operationParameters` and messages.
// The output parses back to the same tree: names are quoted when needed, literals typed, implicit
// casts left out (binding inserts them again).

import type { Value } from '@lake/parquet'
import type { BoundExpression, BoundValue, Expression, LiteralToken, PredicateNode } from './ast.js'
import { typeName } from './coerce.js'

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'between', 'true', 'false', 'date', 'timestamp', 'timestamp_ntz', 'like', 'case', 'when', 'then', 'else', 'end'])
const HEX = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join('')

type AnyNode = Expression | BoundExpression

function quoteName(name: string): string {
  return PLAIN_NAME.test(name) && !KEYWORDS.has(name.toLowerCase()) ? name : `\`${name.replaceAll('`', '``')}\``
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

function printValue(value: Value, operand: BoundValue): string {
  if (value === null) return 'NULL'
  const t = operand.type
  if (t.kind === 'primitive' && typeof value === 'string') {
    if (t.name === 'date') return `DATE ${quoteString(value)}`
    if (t.name === 'timestamp') return `TIMESTAMP ${quoteString(value)}`
    if (t.name === 'timestamp_ntz') return `TIMESTAMP_NTZ ${quoteString(value)}`
  }
  if (t.kind === 'decimal' || typeof value === 'bigint') return String(value)
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : quoteString(String(value))
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE'
  if (typeof value === 'string') return quoteString(value)
  if (value instanceof Uint8Array) return `X'${HEX(value)}'`
  return quoteString(JSON.stringify(value))
}

function printLiteral(lit: LiteralToken): string {
  switch (lit.type) {
    case 'null':
      return 'NULL'
    case 'boolean':
      return lit.value ? 'TRUE' : 'FALSE'
    case 'number':
      return lit.text
    case 'string':
      return quoteString(lit.value)
    case 'binary':
      return `X'${lit.hex}'`
    default:
      return `${lit.type.toUpperCase()} ${quoteString(lit.value)}`
  }
}

/** Nodes that print without parentheses as operands of comparisons and arithmetic. */
function isAtom(e: AnyNode): boolean {
  return e.kind === 'column' || e.kind === 'literal' || e.kind === 'value' || e.kind === 'call' || e.kind === 'case' || (e.kind === 'cast' && !e.implicit) || e.kind === 'const'
}

function operand(e: AnyNode): string {
  if (e.kind === 'cast' && e.implicit) return operand(e.operand)
  return isAtom(e) ? print(e) : `(${print(e)})`
}

function printChild(child: AnyNode, parentKind: 'and' | 'or', isRight: boolean): string {
  const needsParens = (child.kind === 'or' && parentKind === 'and') || (isRight && child.kind === parentKind)
  const text = print(child)
  return needsParens ? `(${text})` : text
}

function printCase(e: AnyNode & { kind: 'case' }): string {
  const head = e.operand === null ? 'CASE' : `CASE ${print(e.operand)}`
  const branches = e.branches.map((b) => ` WHEN ${print(b.when)} THEN ${print(b.then)}`).join('')
  return `${head}${branches}${e.otherwise === null ? '' : ` ELSE ${print(e.otherwise)}`} END`
}

function printPredicate(p: PredicateNode<Expression> | PredicateNode<BoundExpression>): string {
  const not = 'negated' in p && p.negated ? ' NOT' : ''
  switch (p.kind) {
    case 'const':
      return p.value === null ? 'NULL' : p.value ? 'TRUE' : 'FALSE'
    case 'compare':
      return `${operand(p.left)} ${p.op} ${operand(p.right)}`
    case 'and':
    case 'or':
      return `${printChild(p.left, p.kind, false)} ${p.kind.toUpperCase()} ${printChild(p.right, p.kind, true)}`
    case 'not':
      return p.operand.kind === 'and' || p.operand.kind === 'or' ? `NOT (${print(p.operand)})` : `NOT ${print(p.operand)}`
    case 'in':
      return `${operand(p.operand)}${not} IN (${p.values.map(operand).join(', ')})`
    case 'isNull':
      return `${operand(p.operand)} IS ${p.negated ? 'NOT ' : ''}NULL`
    case 'between':
      return `${operand(p.operand)}${not} BETWEEN ${operand(p.low)} AND ${operand(p.high)}`
    case 'like':
      return `${operand(p.operand)}${not} LIKE ${operand(p.pattern)}${p.escape === '\\' ? '' : ` ESCAPE ${quoteString(p.escape)}`}`
  }
}

function print(e: AnyNode): string {
  switch (e.kind) {
    case 'column': {
      const path = e.path.map(quoteName).join('.')
      return 'qualifier' in e && typeof e.qualifier === 'string' ? `${quoteName(e.qualifier)}.${path}` : path
    }
    case 'literal':
      return printLiteral(e.literal)
    case 'value':
      return printValue(e.value, e)
    case 'negate':
      return `-${operand(e.operand)}`
    case 'arith':
      return `${operand(e.left)} ${e.op} ${operand(e.right)}`
    case 'case':
      return printCase(e)
    case 'cast':
      return e.implicit ? print(e.operand) : `CAST(${print(e.operand)} AS ${typeName(e.to).toUpperCase()})`
    case 'call':
      return `${e.name}(${e.args.map(print).join(', ')})`
    default:
      return printPredicate(e)
  }
}

/** The SQL text of an expression; parsing and binding it again gives back the same bound tree. */
export function expressionToSql(e: Expression | BoundExpression): string {
  return print(e)
}

/** The SQL text of a predicate; `parsePredicate(predicateToSql(p))` gives back the same tree. */
export function predicateToSql(p: Expression | BoundExpression): string {
  return print(p)
}
