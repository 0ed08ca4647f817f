// Rebuilds Delta values row by row from Dremel leaf data (definition and repetition levels): a read
// plan compiled once into closures over per-leaf cursors. A null or empty subtree consumes one entry.

import type { LeafLevels, LeafRequest } from './column-chunks.js'
import { ParquetError } from './errors.js'
import { objectTemplate, setField } from './object-template.js'
import { leavesOf } from './parquet-tree.js'
import type { ParquetNode } from './parquet-tree.js'
import type { ReadPlan } from './read-plan.js'
import type { Value } from './types.js'

/** Reading position in one leaf's data: `pos` over level entries, `vpos` over defined values. */
export interface Cursor {
  readonly data: LeafLevels
  pos: number
  vpos: number
}

/** Reads one value at the cursors' position and advances them past it. */
export type ValueReader = (cursors: readonly Cursor[]) => Value

interface Levels {
  /** Definition level at which the node is present (counts optional and repeated ancestors, itself included). */
  readonly def: number
  /** Repetition level of the node (repeated ancestors, itself included). */
  readonly rep: number
}

interface Compiled {
  readonly read: ValueReader
  /** Cursor slots of the leaves under the node; the first tells presence. */
  readonly slots: readonly number[]
}

function defAt(c: Cursor): number {
  const { def, length, maxDef } = c.data
  if (c.pos >= length) return -1
  return def === undefined ? maxDef : (def[c.pos] as number)
}

/** Moves past one entry at repetition level `rep` and everything nested under it. */
function skip(c: Cursor, rep: number): void {
  const levels = c.data.rep
  do {
    if (defAt(c) === c.data.maxDef) c.vpos++
    c.pos++
  } while (levels !== undefined && c.pos < c.data.length && (levels[c.pos] as number) > rep)
}

function skipAll(cursors: readonly Cursor[], slots: readonly number[], rep: number): void {
  for (const slot of slots) skip(cursors[slot] as Cursor, rep)
}

/** Compiles read plans into value readers and collects the leaf columns they need (one cursor slot each). */
export class LevelAssembler {
  readonly requests: LeafRequest[] = []
  readonly #levels = new Map<ParquetNode, Levels>()

  constructor(root: ParquetNode) {
    const walk = (node: ParquetNode, def: number, rep: number): void => {
      const repetition = node.element.repetition_type
      const own = { def: def + (node === root || repetition === 'REQUIRED' ? 0 : 1), rep: rep + (repetition === 'REPEATED' ? 1 : 0) }
      this.#levels.set(node, own)
      for (const child of node.children) walk(child, own.def, own.rep)
    }
    walk(root, 0, 0)
  }

  /** The reader of a top-level column's plan. */
  compile(plan: ReadPlan): ValueReader {
    return this.#compile(plan).read
  }

  /** Cursors over a row group's data (in request order) for the compiled readers. */
  static cursors(data: readonly LeafLevels[]): Cursor[] {
    return data.map(d => ({ data: d, pos: 0, vpos: 0 }))
  }

  /** Checks that every cursor consumed its whole column chunk (else the file is corrupt). */
  static checkConsumed(cursors: readonly Cursor[], requests: readonly LeafRequest[], rows: number): void {
    cursors.forEach((c, i) => {
      if (c.pos !== c.data.length || c.vpos !== c.data.values.length) {
        const column = requests[i]?.path.join('.')
        throw new ParquetError(`corrupt Parquet column chunk '${column}': expected ${rows} rows, found ${c.data.length} entries not matching`, { context: { column } })
      }
    })
  }

  #levelsOf(node: ParquetNode): Levels {
    return this.#levels.get(node) as Levels
  }

  #request(node: ParquetNode, request: Omit<LeafRequest, 'path'>): number {
    this.requests.push({ path: node.path, ...request })
    return this.requests.length - 1
  }

  /** A slot that only tells whether `node` is present, for subtrees that decode no leaf. */
  #presence(node: ParquetNode): number {
    return this.#request(leavesOf(node)[0] as ParquetNode, { decode: undefined, shareable: true })
  }

  #compile(plan: ReadPlan): Compiled {
    switch (plan.kind) {
      case 'null':
        return { read: () => null, slots: [] }
      case 'leaf': {
        const slot = this.#request(plan.node, { decode: plan.decode, shareable: plan.shareable })
        const read: ValueReader = cursors => {
          const c = cursors[slot] as Cursor
          const present = defAt(c) === c.data.maxDef
          c.pos++
          return present ? ((c.data.values[c.vpos++] as Value | undefined) ?? null) : null
        }
        return { read, slots: [slot] }
      }
      case 'struct':
        return this.#struct(plan)
      case 'list':
      case 'map':
        return this.#repeated(plan)
    }
  }

  #struct(plan: Extract<ReadPlan, { kind: 'struct' }>): Compiled {
    const fields = plan.fields.map(f => ({ name: f.name, compiled: this.#compile(f.plan) }))
    const decoded = fields.flatMap(f => f.compiled.slots)
    const presenceOnly = decoded.length === 0 ? this.#presence(plan.node) : undefined
    const slots = presenceOnly === undefined ? decoded : [presenceOnly]
    const { def, rep } = this.#levelsOf(plan.node)
    const first = slots[0] as number
    const template = objectTemplate(fields.map(f => f.name))
    const read: ValueReader = cursors => {
      if (plan.optional && defAt(cursors[first] as Cursor) < def) {
        skipAll(cursors, slots, rep)
        return null
      }
      const out: Record<string, Value> = template === undefined ? {} : { ...template }
      for (const { name, compiled } of fields) {
        const value = compiled.read(cursors)
        setField(out, name, value)
      }
      if (presenceOnly !== undefined) skip(cursors[presenceOnly] as Cursor, rep)
      return out
    }
    return { read, slots }
  }

  #repeated(plan: Extract<ReadPlan, { kind: 'list' | 'map' }>): Compiled {
    const parts = plan.kind === 'list' ? [this.#compile(plan.element)] : [this.#compile(plan.key), this.#compile(plan.value)]
    const decoded = parts.flatMap(p => p.slots)
    const presenceOnly = decoded.length === 0 ? this.#presence(plan.repeated) : undefined
    const slots = presenceOnly === undefined ? decoded : [presenceOnly]
    const node = this.#levelsOf(plan.node)
    const entry = this.#levelsOf(plan.repeated)
    const outerRep = entry.rep - 1
    const first = slots[0] as number
    const [a, b] = parts as [Compiled, Compiled | undefined]
    const read: ValueReader = cursors => {
      const lead = cursors[first] as Cursor
      const d = defAt(lead)
      if (plan.optional && d < node.def) {
        skipAll(cursors, slots, outerRep)
        return null
      }
      const out: Value[] | Map<Value, Value> = b === undefined ? [] : new Map()
      if (d < entry.def) {
        skipAll(cursors, slots, outerRep)
        return out
      }
      const levels = lead.data.rep as ArrayLike<number>
      do {
        if (b === undefined) (out as Value[]).push(a.read(cursors))
        else (out as Map<Value, Value>).set(a.read(cursors), b.read(cursors))
        if (presenceOnly !== undefined) skip(lead, entry.rep)
      } while (lead.pos < lead.data.length && levels[lead.pos] === entry.rep)
      return out
    }
    return { read, slots }
  }
}
