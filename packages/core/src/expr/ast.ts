// The predicate language's syntax tree: a discriminated union over `kind`, generic in its operands so
// the parsed form (`Predicate`) and the schema-bound form (`BoundPredicate`) share one shape.

import type { DataType, Value } from '@lake/parquet'

/** Comparison operators (`<>` and `==` parse to `!=` and `=`). */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>='

/** A literal as written: numbers keep their exact text; typed literals keep their quoted text. */
export type LiteralToken =
  | { readonly type: 'null' }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'number'; readonly text: string }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'date' | 'timestamp' | 'timestamp_ntz'; readonly value: string }

/** A column reference as written: a path of names (`a.b` → `['a', 'b']`). `pos` is a 0-based offset. */
export interface ColumnRef {
  readonly kind: 'column'
  readonly path: readonly string[]
  readonly pos: number
}

/** A literal operand as written. */
export interface LiteralRef {
  readonly kind: 'literal'
  readonly literal: LiteralToken
  readonly pos: number
}

/** A column resolved against a schema: logical path (schema spelling), physical path, type. */
export interface BoundColumn {
  readonly kind: 'column'
  readonly path: readonly string[]
  /** The path of names in data files and stats (column mapping physical names, else `path`). */
  readonly physicalPath: readonly string[]
  readonly type: DataType
  readonly pos: number
}

/** A literal coerced to the type it is compared with. */
export interface BoundValue {
  readonly kind: 'value'
  readonly value: Value
  readonly type: DataType
  readonly pos: number
}

export type Operand = ColumnRef | LiteralRef
export type BoundOperand = BoundColumn | BoundValue

/** A predicate node over operands `O`. */
export type PredicateNode<O> =
  | { readonly kind: 'const'; readonly value: boolean | null; readonly pos: number }
  | { readonly kind: 'compare'; readonly op: CompareOp; readonly left: O; readonly right: O; readonly pos: number }
  | { readonly kind: 'and' | 'or'; readonly left: PredicateNode<O>; readonly right: PredicateNode<O>; readonly pos: number }
  | { readonly kind: 'not'; readonly operand: PredicateNode<O>; readonly pos: number }
  | { readonly kind: 'in'; readonly operand: O; readonly values: readonly O[]; readonly negated: boolean; readonly pos: number }
  | { readonly kind: 'isNull'; readonly operand: O; readonly negated: boolean; readonly pos: number }
  | { readonly kind: 'between'; readonly operand: O; readonly low: O; readonly high: O; readonly negated: boolean; readonly pos: number }

/** A parsed, unbound predicate. */
export type Predicate = PredicateNode<Operand>

/** A predicate resolved against a schema, literals typed; what evaluators take. */
export type BoundPredicate = PredicateNode<BoundOperand>
