// The row constraints a writer must enforce (PROTOCOL.md#Column Invariants, #CHECK Constraints):
// `delta.invariants` field metadata and `delta.constraints.*` table properties. Pure collection only.

import type { DataType, StructType } from '@lake/parquet'

/** One SQL boolean expression every written row must satisfy (false or null fails the write). */
export interface RowConstraint {
  readonly kind: 'invariant' | 'check'
  /** The CHECK constraint name, or the dotted column path of an invariant. */
  readonly name: string
  /** The Spark SQL expression text. */
  readonly expression: string
}

const CONSTRAINT_PREFIX = 'delta.constraints.'
const INVARIANTS_KEY = 'delta.invariants'

/**
 * Every invariant in the schema (nested fields too) and every CHECK constraint in the
 * configuration. An invariant whose metadata is not the protocol's JSON
 * (`{"expression":{"expression":"x > 3"}}`) is returned with its raw text, so callers refuse it.
 */
export function collectConstraints(schema: StructType, configuration: Readonly<Record<string, string>>): RowConstraint[] {
  const out: RowConstraint[] = []
  collectInvariants(schema, '', out)
  for (const [key, expression] of Object.entries(configuration)) {
    if (key.toLowerCase().startsWith(CONSTRAINT_PREFIX)) out.push({ kind: 'check', name: key.slice(CONSTRAINT_PREFIX.length), expression })
  }
  return out
}

function collectInvariants(type: DataType, path: string, out: RowConstraint[]): void {
  if (type.kind === 'array') return collectInvariants(type.elementType, `${path}.element`, out)
  if (type.kind === 'map') return collectInvariants(type.valueType, `${path}.value`, out)
  if (type.kind !== 'struct') return
  for (const field of type.fields) {
    const at = path === '' ? field.name : `${path}.${field.name}`
    const raw = field.metadata[INVARIANTS_KEY]
    if (raw !== undefined) out.push({ kind: 'invariant', name: at, expression: invariantExpression(raw) })
    collectInvariants(field.type, at, out)
  }
}

function invariantExpression(raw: unknown): string {
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw)
  try {
    const parsed: unknown = JSON.parse(text)
    const outer = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>)['expression'] : undefined
    const inner = typeof outer === 'object' && outer !== null ? (outer as Record<string, unknown>)['expression'] : undefined
    return typeof inner === 'string' ? inner : text
  } catch {
    return text
  }
}
