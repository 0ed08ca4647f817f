// Rebuilds Delta values from leaf-column data as hyparquet's `assembleLists` leaves it: per row, one nested
// array level per OPTIONAL/REPEATED ancestor (empty = not defined at that level), leaf values inside.

import { setField } from './encode-values.js'
import type { ReadPlan } from './read-plan.js'
import type { Value } from './types.js'

/**
 * Decode one value. `vals[i - base]` holds, for each leaf `i` under the plan's node, that leaf's data at
 * the level of the node (including the node's own optional wrapper). `vals` is scratch: it is mutated.
 */
export function decodeValue(plan: ReadPlan, vals: unknown[], base: number): Value {
  if (plan.kind === 'null') return null
  const { node } = plan
  const first = node.leafStart - base
  if (plan.optional && plan.kind !== 'leaf') {
    const wrapper = vals[first]
    if (!Array.isArray(wrapper) || wrapper.length === 0) return null
    for (let i = first; i < first + node.leafCount; i++) vals[i] = (vals[i] as unknown[])[0]
  }
  switch (plan.kind) {
    case 'leaf': {
      const raw = vals[first]
      return raw === null || raw === undefined ? null : plan.decode(raw)
    }
    case 'struct': {
      const out: Record<string, Value> = {}
      for (const field of plan.fields) setField(out, field.name, decodeValue(field.plan, vals, base))
      return out
    }
    case 'list': {
      const out: Value[] = []
      const { leafStart, leafCount } = plan.repeated
      forEachEntry(leafStart - base, leafCount, vals, entry => out.push(decodeValue(plan.element, entry, leafStart)))
      return out
    }
    case 'map': {
      const out = new Map<Value, Value>()
      const { leafStart, leafCount } = plan.repeated
      forEachEntry(leafStart - base, leafCount, vals, entry => {
        out.set(decodeValue(plan.key, entry, leafStart), decodeValue(plan.value, entry, leafStart))
      })
      return out
    }
  }
}

/** Calls `visit` once per entry of the repeated node whose leaves are `vals[first .. first+count)`. */
function forEachEntry(first: number, count: number, vals: unknown[], visit: (entry: unknown[]) => void): void {
  const lead = vals[first]
  const length = Array.isArray(lead) ? lead.length : 0
  for (let e = 0; e < length; e++) {
    const entry = new Array<unknown>(count)
    for (let k = 0; k < count; k++) entry[k] = (vals[first + k] as unknown[] | undefined)?.[e]
    visit(entry)
  }
}
