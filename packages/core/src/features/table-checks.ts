// Looks at a table's schema and properties on behalf of the feature registry's records: constraints
// lake must evaluate, columns with metadata lake cannot honour, boolean properties. Pure.

import { containsPrimitive } from '../parquet-values.js'
import type { DataType, StructType } from '@lake/parquet'
import { collectConstraints } from '../schema/constraints.js'
import type { CanWriteOptions, WriteTarget } from './types.js'

const GENERATION_KEY = 'delta.generationExpression'

/** The first invariant (`invariant`) or CHECK constraint (`check`) lake cannot evaluate, as a problem; else undefined. */
export function constraintProblem(kind: 'invariant' | 'check', target: WriteTarget, options: CanWriteOptions): string | undefined {
  for (const c of collectConstraints(target.schema, target.configuration)) {
    if (c.kind !== kind) continue
    if (options.canEvaluate?.(c.expression) !== true) {
      const what = kind === 'invariant' ? `invariant on column '${c.name}'` : `CHECK constraint '${c.name}'`
      return `${what} (${c.expression}) cannot be evaluated by lake`
    }
  }
  return undefined
}

/** The first generated column whose expression lake cannot compute, as a problem; else undefined. */
export function generationProblem(target: WriteTarget, options: CanWriteOptions): string | undefined {
  for (const field of target.schema.fields) {
    const expression = field.metadata[GENERATION_KEY]
    if (typeof expression !== 'string' || options.canEvaluate?.(expression) === true) continue
    return `generated column '${field.name}' (${expression}) cannot be computed by lake`
  }
  return undefined
}

/** True when the schema or properties hold a constraint of `kind`. */
export function hasConstraint(kind: 'invariant' | 'check', schema: StructType, configuration: Readonly<Record<string, string>>): boolean {
  return collectConstraints(schema, configuration).some((c) => c.kind === kind)
}

/** The first top-level column with a metadata key starting with `keyPrefix`. */
export function columnUsing(schema: StructType, keyPrefix: string): string | undefined {
  return schema.fields.find((f) => Object.keys(f.metadata).some((k) => k.startsWith(keyPrefix)))?.name
}

/** True when the property `key` (any case) is `true` (any case). */
export function isTrue(configuration: Readonly<Record<string, string>>, key: string): boolean {
  const lower = key.toLowerCase()
  return Object.entries(configuration).some(([k, v]) => k.toLowerCase() === lower && v.toLowerCase() === 'true')
}

/** True when `timestamp_ntz` occurs anywhere in the type. */
export function containsNtz(type: DataType): boolean {
  return containsPrimitive(type, (name) => name === 'timestamp_ntz')
}
