// SQL text of a predicate (parsed or bound), for commitInfo `operationParameters.predicate` and
// messages. The output parses back to the same tree: names are quoted when needed, literals typed.

import type { Value } from '@lake/parquet'
import type { BoundOperand, Operand, PredicateNode } from './ast.js'

const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/
const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'between', 'true', 'false', 'date', 'timestamp', 'timestamp_ntz'])
const UTF8 = new TextDecoder()

function quoteName(name: string): string {
  return PLAIN_NAME.test(name) && !KEYWORDS.has(name.toLowerCase()) ? name : `\`${name.replaceAll('`', '``')}\``
}

function quoteString(text: string): string {
  return `'${text.replaceAll("'", "''")}'`
}

function printValue(value: Value, operand: BoundOperand & { kind: 'value' }): string {
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
  if (value instanceof Uint8Array) return quoteString(UTF8.decode(value))
  return quoteString(JSON.stringify(value))
}

function printOperand(o: Operand | BoundOperand): string {
  switch (o.kind) {
    case 'column':
      return o.path.map(quoteName).join('.')
    case 'value':
      return printValue(o.value, o)
    case 'literal': {
      const lit = o.literal
      switch (lit.type) {
        case 'null':
          return 'NULL'
        case 'boolean':
          return lit.value ? 'TRUE' : 'FALSE'
        case 'number':
          return lit.text
        case 'string':
          return quoteString(lit.value)
        default:
          return `${lit.type.toUpperCase()} ${quoteString(lit.value)}`
      }
    }
  }
}

type AnyNode = PredicateNode<Operand> | PredicateNode<BoundOperand>

function printChild(child: AnyNode, parentKind: 'and' | 'or', isRight: boolean): string {
  const needsParens = (child.kind === 'or' && parentKind === 'and') || (isRight && child.kind === parentKind)
  const text = printNode(child)
  return needsParens ? `(${text})` : text
}

function printNode(p: AnyNode): string {
  switch (p.kind) {
    case 'const':
      return p.value === null ? 'NULL' : p.value ? 'TRUE' : 'FALSE'
    case 'compare':
      return `${printOperand(p.left)} ${p.op} ${printOperand(p.right)}`
    case 'and':
    case 'or':
      return `${printChild(p.left, p.kind, false)} ${p.kind.toUpperCase()} ${printChild(p.right, p.kind, true)}`
    case 'not': {
      const inner = printNode(p.operand)
      return p.operand.kind === 'and' || p.operand.kind === 'or' ? `NOT (${inner})` : `NOT ${inner}`
    }
    case 'in': {
      const values = (p.values as readonly (Operand | BoundOperand)[]).map(printOperand).join(', ')
      return `${printOperand(p.operand)}${p.negated ? ' NOT' : ''} IN (${values})`
    }
    case 'isNull':
      return `${printOperand(p.operand)} IS ${p.negated ? 'NOT ' : ''}NULL`
    case 'between':
      return `${printOperand(p.operand)}${p.negated ? ' NOT' : ''} BETWEEN ${printOperand(p.low)} AND ${printOperand(p.high)}`
  }
}

/** The SQL text of a predicate; `parsePredicate(predicateToSql(p))` gives back the same tree. */
export function predicateToSql(p: PredicateNode<Operand> | PredicateNode<BoundOperand>): string {
  return printNode(p)
}
