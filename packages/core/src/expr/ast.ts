// The expression language's syntax tree: one discriminated union over `kind`, generic in its operands
// so the parsed form (`Expression`) and the bound form (`BoundExpression`) share one shape. Predicates
// are the boolean nodes; their boolean children (AND/OR/NOT, CASE WHEN) are always predicate nodes.

import type { DataType, Value } from '@lake/parquet'

/** Comparison operators (`<>` and `==` parse to `!=` and `=`). */
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>='

/** Arithmetic operators (`||` parses to a `concat` call). */
export type ArithOp = '+' | '-' | '*' | '/' | '%'

/** A literal as written: numbers keep their exact text; typed literals keep their quoted text. */
export type LiteralToken =
  | { readonly type: 'null' }
  | { readonly type: 'boolean'; readonly value: boolean }
  | { readonly type: 'number'; readonly text: string }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'date' | 'timestamp' | 'timestamp_ntz'; readonly value: string }
  | { readonly type: 'binary'; readonly hex: string }

/** A column reference as written: a path of names (`a.b` → `['a', 'b']`, `target.id` too). `pos` is a 0-based offset. */
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

/** A column resolved against a scope: its relation, logical path (schema spelling), physical path, type. */
export interface BoundColumn {
  readonly kind: 'column'
  /** Index of the relation in the scope (0 for a single schema). */
  readonly relation: number
  /** The relation's alias, printed before the path (null: unqualified). */
  readonly qualifier?: string | null
  /** The logical path inside the relation (the alias is not part of it). */
  readonly path: readonly string[]
  /** The path of names in data files and stats (column mapping physical names, else `path`). */
  readonly physicalPath: readonly string[]
  readonly type: DataType
  readonly pos: number
}

/** A literal, typed (coerced to the type it is compared with, else its natural type). */
export interface BoundValue {
  readonly kind: 'value'
  readonly value: Value
  readonly type: DataType
  readonly pos: number
}

// Predicate nodes (boolean results).

export interface ConstNode {
  readonly kind: 'const'
  readonly value: boolean | null
  readonly pos: number
}
export interface CompareNode<O> {
  readonly kind: 'compare'
  readonly op: CompareOp
  readonly left: O
  readonly right: O
  readonly pos: number
}
export interface LogicNode<O> {
  readonly kind: 'and' | 'or'
  readonly left: PredicateNode<O>
  readonly right: PredicateNode<O>
  readonly pos: number
}
export interface NotNode<O> {
  readonly kind: 'not'
  readonly operand: PredicateNode<O>
  readonly pos: number
}
export interface InNode<O> {
  readonly kind: 'in'
  readonly operand: O
  readonly values: readonly O[]
  readonly negated: boolean
  readonly pos: number
}
export interface IsNullNode<O> {
  readonly kind: 'isNull'
  readonly operand: O
  readonly negated: boolean
  readonly pos: number
}
export interface BetweenNode<O> {
  readonly kind: 'between'
  readonly operand: O
  readonly low: O
  readonly high: O
  readonly negated: boolean
  readonly pos: number
}
/** `x [NOT] LIKE pattern [ESCAPE 'c']`: `%` any run, `_` one character. */
export interface LikeNode<O> {
  readonly kind: 'like'
  readonly operand: O
  readonly pattern: O
  /** The escape character (default `\`). */
  readonly escape: string
  readonly negated: boolean
  readonly pos: number
}

/** A predicate node over operands `O`. */
export type PredicateNode<O> = ConstNode | CompareNode<O> | LogicNode<O> | NotNode<O> | InNode<O> | IsNullNode<O> | BetweenNode<O> | LikeNode<O>

// Value nodes.

/** Unary minus. */
export interface NegateNode<O> {
  readonly kind: 'negate'
  readonly operand: O
  readonly pos: number
}
export interface ArithNode<O> {
  readonly kind: 'arith'
  readonly op: ArithOp
  readonly left: O
  readonly right: O
  readonly pos: number
}
/** `CASE [operand] WHEN w THEN t ... [ELSE otherwise] END`; without operand each `when` is a predicate. */
export interface CaseNode<O> {
  readonly kind: 'case'
  readonly operand: O | null
  readonly branches: readonly { readonly when: O; readonly then: O }[]
  readonly otherwise: O | null
  readonly pos: number
}
/** `CAST(x AS type)`; bound trees also hold implicit casts (widening), printed as their operand. */
export interface CastNode<O> {
  readonly kind: 'cast'
  readonly operand: O
  readonly to: DataType
  readonly implicit: boolean
  readonly pos: number
}
/** A function call; `name` is lower case (`coalesce`, `upper`, `concat` — also `a || b` —, `current_date`, ...). */
export interface CallNode<O> {
  readonly kind: 'call'
  readonly name: string
  readonly args: readonly O[]
  readonly pos: number
}

/** Bound value nodes carry their result type. */
export interface Typed {
  readonly type: DataType
}

/** A parsed, unbound expression (of any type). */
export type Expression =
  | ColumnRef
  | LiteralRef
  | NegateNode<Expression>
  | ArithNode<Expression>
  | CaseNode<Expression>
  | CastNode<Expression>
  | CallNode<Expression>
  | ConstNode
  | CompareNode<Expression>
  | LogicNode<Expression>
  | NotNode<Expression>
  | InNode<Expression>
  | IsNullNode<Expression>
  | BetweenNode<Expression>
  | LikeNode<Expression>

/** An expression resolved against a scope: columns located, literals and value nodes typed, implicit casts inserted. */
export type BoundExpression =
  | BoundColumn
  | BoundValue
  | (NegateNode<BoundExpression> & Typed)
  | (ArithNode<BoundExpression> & Typed)
  | (CaseNode<BoundExpression> & Typed)
  | (CastNode<BoundExpression> & Typed)
  | (CallNode<BoundExpression> & Typed)
  | ConstNode
  | CompareNode<BoundExpression>
  | LogicNode<BoundExpression>
  | NotNode<BoundExpression>
  | InNode<BoundExpression>
  | IsNullNode<BoundExpression>
  | BetweenNode<BoundExpression>
  | LikeNode<BoundExpression>

/** An operand of a predicate: an expression of whatever type. */
export type Operand = Expression
export type BoundOperand = BoundExpression

/** A parsed, unbound predicate (a boolean expression). */
export type Predicate = PredicateNode<Expression>

/** A predicate resolved against a schema, literals typed; what evaluators take. */
export type BoundPredicate = PredicateNode<BoundExpression>
