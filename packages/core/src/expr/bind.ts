// Binds a parsed predicate to a table schema: resolves column names case-insensitively (like Spark),
// maps them to physical names under column mapping, and coerces literals to the column types.

import type { DataType, StructField, StructType } from '@lake/parquet'
import type { BoundColumn, BoundOperand, BoundPredicate, ColumnRef, Operand, Predicate } from './ast.js'
import { coerceLiteral, isComparable, naturalValue, typeName } from './coerce.js'
import { evaluatePredicate } from './evaluate.js'
import { parsePredicate } from './parse.js'
import { PredicateError } from './predicate-error.js'

/** Options of `bindPredicate`. */
export interface BindOptions {
  /** The table's `delta.columnMapping.mode`: with `name` or `id`, stats and files use physical names. */
  readonly columnMappingMode?: 'none' | 'name' | 'id'
}

const PHYSICAL_NAME_KEY = 'delta.columnMapping.physicalName'
const FAMILY: Readonly<Record<string, string>> = { byte: 'n', short: 'n', integer: 'n', long: 'n', float: 'n', double: 'n' }

function family(type: DataType): string {
  return type.kind === 'primitive' ? (FAMILY[type.name] ?? type.name) : type.kind
}

function findField(fields: readonly StructField[], name: string): StructField | undefined {
  const lower = name.toLowerCase()
  return fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === lower)
}

function resolveColumn(ref: ColumnRef, schema: StructType, options: BindOptions): BoundColumn {
  const mapped = options.columnMappingMode === 'name' || options.columnMappingMode === 'id'
  const path: string[] = []
  const physicalPath: string[] = []
  let type: DataType = schema
  for (const name of ref.path) {
    if (type.kind !== 'struct') {
      throw new PredicateError(`column '${ref.path.join('.')}': expected '${path.join('.')}' to be a struct, found ${typeName(type)}`, ref.pos)
    }
    const field = findField(type.fields, name)
    if (field === undefined) {
      const known = type.fields.map((f) => f.name).join(', ')
      throw new PredicateError(`unknown column '${ref.path.join('.')}': expected one of ${known}`, ref.pos, { context: { column: ref.path.join('.') } })
    }
    const physical = field.metadata[PHYSICAL_NAME_KEY]
    path.push(field.name)
    physicalPath.push(mapped && typeof physical === 'string' ? physical : field.name)
    type = field.type
  }
  return { kind: 'column', path, physicalPath, type, pos: ref.pos }
}

class Binder {
  constructor(
    readonly schema: StructType,
    readonly options: BindOptions,
  ) {}

  /** Binds operands that are compared with each other: literals take the first column's type. */
  operands(ops: readonly Operand[], needsOrder: boolean): BoundOperand[] | undefined {
    const columns = ops.map((o) => (o.kind === 'column' ? resolveColumn(o, this.schema, this.options) : undefined))
    const anchor = columns.find((c) => c !== undefined)
    if (anchor === undefined) return undefined
    const name = anchor.path.join('.')
    if (needsOrder && !isComparable(anchor.type)) {
      throw new PredicateError(`column '${name}' has type ${typeName(anchor.type)}: expected a primitive type to compare`, anchor.pos)
    }
    return ops.map((o, i) => {
      const column = columns[i]
      if (column === undefined) return coerceLiteral(o as Operand & { kind: 'literal' }, anchor.type, name)
      if (family(column.type) !== family(anchor.type)) {
        throw new PredicateError(
          `cannot compare column '${name}' of type ${typeName(anchor.type)} with column '${column.path.join('.')}' of type ${typeName(column.type)}`,
          column.pos,
        )
      }
      return column
    })
  }

  node(p: Predicate): BoundPredicate {
    switch (p.kind) {
      case 'const':
        return p
      case 'and':
      case 'or':
        return { kind: p.kind, left: this.node(p.left), right: this.node(p.right), pos: p.pos }
      case 'not':
        return { kind: 'not', operand: this.node(p.operand), pos: p.pos }
      case 'isNull': {
        const operand = p.operand.kind === 'column' ? resolveColumn(p.operand, this.schema, this.options) : naturalValue(p.operand)
        return { ...p, operand }
      }
      case 'compare': {
        const [left, right] = this.operands([p.left, p.right], true) ?? this.folded([p.left, p.right])
        return this.fold({ ...p, left: left as BoundOperand, right: right as BoundOperand })
      }
      case 'in': {
        const [operand, ...values] = this.operands([p.operand, ...p.values], true) ?? this.folded([p.operand, ...p.values])
        return this.fold({ ...p, operand: operand as BoundOperand, values })
      }
      case 'between': {
        const [operand, low, high] = this.operands([p.operand, p.low, p.high], true) ?? this.folded([p.operand, p.low, p.high])
        return this.fold({ ...p, operand: operand as BoundOperand, low: low as BoundOperand, high: high as BoundOperand })
      }
    }
  }

  /** Literal-only operands: all take the natural type of the first non-null literal. */
  folded(ops: readonly Operand[]): BoundOperand[] {
    const literals = ops as readonly (Operand & { kind: 'literal' })[]
    const first = literals.find((o) => o.literal.type !== 'null')
    if (first === undefined) return literals.map(naturalValue)
    const type = naturalValue(first).type
    return literals.map((o) => coerceLiteral(o, type, '<literal>'))
  }

  /** A node without columns becomes a constant. */
  fold(p: BoundPredicate): BoundPredicate {
    const operands = p.kind === 'compare' ? [p.left, p.right] : p.kind === 'in' ? [p.operand, ...p.values] : p.kind === 'between' ? [p.operand, p.low, p.high] : []
    if (operands.length === 0 || operands.some((o) => o.kind === 'column')) return p
    return { kind: 'const', value: evaluatePredicate(p, {}), pos: p.pos }
  }
}

/**
 * Resolves a predicate (text or parsed) against a schema. Column names match case-insensitively
 * (an exact match wins); nested fields are `a.b`. Literals are coerced to the compared column's
 * type; comparisons without columns are folded to constants.
 * @throws PredicateError (`InvalidPredicate`) naming the column, the expected and found types and the position.
 */
export function bindPredicate(predicate: Predicate | string, schema: StructType, options: BindOptions = {}): BoundPredicate {
  const parsed = typeof predicate === 'string' ? parsePredicate(predicate) : predicate
  return new Binder(schema, options).node(parsed)
}
