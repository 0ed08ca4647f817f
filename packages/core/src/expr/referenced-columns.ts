// Which columns an expression reads (at any depth: inside arithmetic, functions, CASE, CAST), and
// whether it reads only partition columns (then it can be decided exactly from partition values). Pure.

import type { BoundExpression, Expression } from './ast.js'

type AnyNode = Expression | BoundExpression

function children(e: AnyNode): readonly AnyNode[] {
  switch (e.kind) {
    case 'column':
    case 'literal':
    case 'value':
    case 'const':
      return []
    case 'compare':
    case 'and':
    case 'or':
    case 'arith':
      return [e.left, e.right]
    case 'not':
    case 'negate':
    case 'cast':
    case 'isNull':
      return [e.operand]
    case 'in':
      return [e.operand, ...e.values]
    case 'between':
      return [e.operand, e.low, e.high]
    case 'like':
      return [e.operand, e.pattern]
    case 'case':
      return [...(e.operand === null ? [] : [e.operand]), ...e.branches.flatMap((b) => [b.when, b.then]), ...(e.otherwise === null ? [] : [e.otherwise])]
    case 'call':
      return e.args
  }
}

/** Calls `visit` on every node of a tree, parents first. */
export function visitNodes<N extends AnyNode>(e: N, visit: (node: N) => void): void {
  visit(e)
  for (const child of children(e)) visitNodes(child as N, visit)
}

function collect(e: AnyNode, out: Map<string, readonly string[]>): void {
  visitNodes(e, (node) => {
    if (node.kind === 'column') out.set(JSON.stringify(node.path), node.path)
  })
}

/** The distinct column paths an expression references, in first-use order (`a.b` → `['a', 'b']`). */
export function referencedColumns(p: AnyNode): readonly (readonly string[])[] {
  const out = new Map<string, readonly string[]>()
  collect(p, out)
  return [...out.values()]
}

/** Whether an expression always gives the same value for the same row (no `current_timestamp()` / `current_date()`). */
export function isDeterministic(e: AnyNode): boolean {
  let deterministic = true
  visitNodes(e, (node) => {
    if (node.kind === 'call' && (node.name === 'current_timestamp' || node.name === 'current_date')) deterministic = false
  })
  return deterministic
}

/** Whether every column the predicate reads is a top-level partition column (case-insensitive). */
export function isPartitionOnly(p: AnyNode, partitionColumns: readonly string[]): boolean {
  const partitions = new Set(partitionColumns.map((c) => c.toLowerCase()))
  return referencedColumns(p).every((path) => path.length === 1 && partitions.has((path[0] ?? '').toLowerCase()))
}
