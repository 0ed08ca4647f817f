// Which columns a predicate reads, and whether it reads only partition columns (then it can be
// decided exactly from partition values). Pure.

import type { BoundOperand, Operand, PredicateNode } from './ast.js'

type AnyNode = PredicateNode<Operand> | PredicateNode<BoundOperand>

function operandsOf(p: AnyNode): readonly (Operand | BoundOperand)[] {
  switch (p.kind) {
    case 'compare':
      return [p.left, p.right]
    case 'in':
      return [p.operand, ...p.values]
    case 'isNull':
      return [p.operand]
    case 'between':
      return [p.operand, p.low, p.high]
    default:
      return []
  }
}

function collect(p: AnyNode, out: Map<string, readonly string[]>): void {
  if (p.kind === 'and' || p.kind === 'or') {
    collect(p.left, out)
    collect(p.right, out)
  } else if (p.kind === 'not') {
    collect(p.operand, out)
  } else {
    for (const o of operandsOf(p)) if (o.kind === 'column') out.set(JSON.stringify(o.path), o.path)
  }
}

/** The distinct column paths a predicate references, in first-use order (`a.b` → `['a', 'b']`). */
export function referencedColumns(p: AnyNode): readonly (readonly string[])[] {
  const out = new Map<string, readonly string[]>()
  collect(p, out)
  return [...out.values()]
}

/** Whether every column the predicate reads is a top-level partition column (case-insensitive). */
export function isPartitionOnly(p: AnyNode, partitionColumns: readonly string[]): boolean {
  const partitions = new Set(partitionColumns.map((c) => c.toLowerCase()))
  return referencedColumns(p).every((path) => path.length === 1 && partitions.has((path[0] ?? '').toLowerCase()))
}
