// Column resolution in a scope: `alias.col` (qualified), or an unqualified name that exactly one
// relation has; names match case-insensitively (an exact match wins), nested fields are `a.b`.

import type { DataType, StructField } from '@lake/parquet'
import { expectedOneOf } from '../schema/expected-columns.js'
import { findField } from '../schema/find-field.js'
import type { BoundColumn, ColumnRef } from './ast.js'
import { typeName } from './coerce.js'
import type { ExpressionScope, ScopeRelation } from './scope.js'
import { PredicateError } from './predicate-error.js'

const PHYSICAL_NAME_KEY = 'delta.columnMapping.physicalName'

function resolvePath(ref: ColumnRef, names: readonly string[], index: number, relation: ScopeRelation): BoundColumn {
  const mapped = relation.columnMappingMode === 'name' || relation.columnMappingMode === 'id'
  const path: string[] = []
  const physicalPath: string[] = []
  let type: DataType = relation.schema
  const full = ref.path.join('.')
  for (const name of names) {
    if (type.kind !== 'struct') {
      throw new PredicateError(`column '${full}': expected '${path.join('.')}' to be a struct, found ${typeName(type)}`, ref.pos)
    }
    const field: StructField | undefined = findField(type.fields, name)
    if (field === undefined) {
      const known = type.fields.map((f) => f.name)
      const expected = path.length === 0 ? expectedOneOf(known) : expectedOneOf(known, `the fields of '${path.join('.')}'`, 'the struct has no fields')
      throw new PredicateError(`unknown column '${full}': ${expected}`, ref.pos, { context: { column: full } })
    }
    const physical = field.metadata[PHYSICAL_NAME_KEY]
    path.push(field.name)
    physicalPath.push(mapped && typeof physical === 'string' ? physical : field.name)
    type = field.type
  }
  return { kind: 'column', relation: index, qualifier: relation.alias, path, physicalPath, type, pos: ref.pos }
}

function qualifiedNames(scope: ExpressionScope): string[] {
  return scope.relations.flatMap((r) => r.schema.fields.map((f) => (r.alias === null ? f.name : `${r.alias}.${f.name}`)))
}

/**
 * Resolves a column reference in a scope.
 * @throws PredicateError `InvalidPredicate` for an unknown or ambiguous name (context `column`).
 */
export function resolveColumn(ref: ColumnRef, scope: ExpressionScope): BoundColumn {
  const [head = '', ...rest] = ref.path
  const relations = scope.relations
  if (rest.length > 0) {
    const lower = head.toLowerCase()
    const aliased = relations.findIndex((r) => r.alias !== null && r.alias.toLowerCase() === lower)
    if (aliased >= 0) return resolvePath(ref, rest, aliased, relations[aliased] as ScopeRelation)
  }
  const owners = relations.flatMap((r, i) => (findField(r.schema.fields, head) === undefined ? [] : [i]))
  const full = ref.path.join('.')
  if (owners.length > 1) {
    const candidates = owners.map((i) => `${relations[i]?.alias ?? '?'}.${head}`).join(', ')
    throw new PredicateError(`column '${full}' is ambiguous: expected one of ${candidates}`, ref.pos, { context: { column: full } })
  }
  const index = owners[0]
  if (index === undefined) {
    const only = relations.length === 1 ? relations[0] : undefined
    if (only !== undefined) return resolvePath(ref, ref.path, 0, only)
    throw new PredicateError(`unknown column '${full}': ${expectedOneOf(qualifiedNames(scope), 'the columns in scope', 'no relation in scope has columns')}`, ref.pos, { context: { column: full } })
  }
  return resolvePath(ref, ref.path, index, relations[index] as ScopeRelation)
}
