// Random flat tables for the plain writer's tests: a schema of 1-4 columns of any flat Delta type
// (nullable or not) and 0-120 rows of it, and the rows as an Arrow table cut into (sliced) batches.

import fc from 'fast-check'
import * as arrow from 'apache-arrow'
import { rowsToArrowBatch } from '../src/index.js'
import type { PrimitiveName, Row, StructType } from '../src/index.js'
import { field, P, struct } from './helpers.js'

export const FLAT: PrimitiveName[] = ['byte', 'short', 'integer', 'long', 'float', 'double', 'boolean', 'string', 'binary', 'date', 'timestamp', 'timestamp_ntz']

const micros = (ms: number, extra: number): string => new Date(ms).toISOString().replace('Z', `${String(extra).padStart(3, '0')}`)

function valueOf(name: PrimitiveName): fc.Arbitrary<unknown> {
  switch (name) {
    case 'byte': return fc.integer({ min: -128, max: 127 })
    case 'short': return fc.integer({ min: -32768, max: 32767 })
    case 'integer': return fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })
    // Small values too: bounds of equal high words are ordered by the low ones.
    case 'long': return fc.oneof(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.bigInt({ min: -1000n, max: 1000n }))
    case 'float': return fc.float()
    case 'double': return fc.double()
    case 'boolean': return fc.boolean()
    case 'string': return fc.string({ maxLength: 6, unit: 'grapheme' })
    case 'binary': return fc.uint8Array({ maxLength: 5 })
    case 'date': return fc.integer({ min: -719162, max: 2932896 }).map(d => new Date(d * 86_400_000).toISOString().slice(0, 10))
    case 'timestamp': return fc.tuple(fc.integer({ min: -62135596800000, max: 253402300799999 }), fc.nat(999)).map(([ms, us]) => `${micros(ms, us)}Z`)
    case 'timestamp_ntz': return fc.tuple(fc.integer({ min: -62135596800000, max: 253402300799999 }), fc.nat(999)).map(([ms, us]) => micros(ms, us))
    default: throw new Error(`no values for ${name}`)
  }
}

/** A flat schema of 1-4 columns and 0-120 rows of it (nulls only in nullable columns). */
export const flatTables = fc.array(fc.tuple(fc.constantFrom(...FLAT), fc.boolean()), { minLength: 1, maxLength: 4 }).chain(columns => {
  const schema = struct(...columns.map(([name, nullable], k) => field(`c${k}`, P(name), nullable)))
  const row = fc.tuple(...columns.map(([name, nullable]) => (nullable ? fc.option(valueOf(name), { nil: null, freq: 3 }) : valueOf(name))))
  const rows = fc.array(row, { maxLength: 120 }).map(values => values.map(v => Object.fromEntries(v.map((x, k) => [`c${k}`, x])) as Row))
  return fc.tuple(fc.constant(schema), rows)
})

/** `rows` as an Arrow table of the schema's canonical types, cut into batches at `cuts`, each batch a slice of a larger one when `pad`. */
export function tableOf(rows: readonly Row[], schema: StructType, cuts: readonly number[], pad = true): arrow.Table {
  const bounds = [0, ...[...new Set(cuts.map(c => c % (rows.length + 1)))].sort((a, b) => a - b), rows.length]
  const batches: arrow.RecordBatch[] = []
  for (let k = 0; k + 1 < bounds.length; k++) {
    const [from, to] = [bounds[k] as number, bounds[k + 1] as number]
    if (from === to) continue
    // With `pad`, one row on each side that the slice leaves out: offsets into the buffers and bitmaps.
    if (!pad) batches.push(rowsToArrowBatch(rows.slice(from, to), schema).batch)
    else batches.push(rowsToArrowBatch([rows[from - 1] ?? rows[from], ...rows.slice(from, to), rows[to] ?? rows[to - 1]] as Row[], schema).batch.slice(1, 1 + to - from))
  }
  return batches.length > 0 ? new arrow.Table(batches) : new arrow.Table(rowsToArrowBatch([], schema).batch)
}
