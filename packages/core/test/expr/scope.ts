// A scope and rows shared by the expression tests: one relation with a column of every common type.

import type { DataType, Row, StructType } from '@lake/parquet'
import type { ExpressionScope } from '../../src/expr/index.js'

const T = (name: string): DataType => ({ kind: 'primitive', name }) as DataType

function struct(fields: readonly [string, DataType][]): StructType {
  return { kind: 'struct', fields: fields.map(([name, type]) => ({ name, type, nullable: true, metadata: {} })) }
}

/** i int, l long, sh short, d decimal(10,2), f double, fl float, s string, b boolean, dt date, ts timestamp, ntz, bin, st struct<x int>, n int (null). */
export const SCHEMA = struct([
  ['i', T('integer')],
  ['l', T('long')],
  ['sh', T('short')],
  ['d', { kind: 'decimal', precision: 10, scale: 2 }],
  ['f', T('double')],
  ['fl', T('float')],
  ['s', T('string')],
  ['b', T('boolean')],
  ['dt', T('date')],
  ['ts', T('timestamp')],
  ['ntz', T('timestamp_ntz')],
  ['bin', T('binary')],
  ['st', struct([['x', T('integer')]])],
  ['n', T('integer')],
  ['ns', T('string')],
])

export const ROW: Row = {
  i: 7,
  l: 10000000000n,
  sh: 3,
  d: '12.50',
  f: 2.5,
  fl: 1.5,
  s: 'Hello',
  b: true,
  dt: '2024-03-01',
  ts: '2024-03-01T10:20:30.123456Z',
  ntz: '2024-03-01T10:20:30.000000',
  bin: new Uint8Array([104, 105]),
  st: { x: 4 },
  n: null,
  ns: null,
}

export const SCOPE: ExpressionScope = { relations: [{ alias: null, schema: SCHEMA }] }

/** target (id long, v int, s string) and source (id long, v int, w string). */
export const MERGE_SCOPE: ExpressionScope = {
  relations: [
    { alias: 'target', schema: struct([['id', T('long')], ['v', T('integer')], ['s', T('string')]]) },
    { alias: 'source', schema: struct([['id', T('long')], ['v', T('integer')], ['w', T('string')]]) },
  ],
}

export const CONTEXT = { nowMs: Date.UTC(2024, 4, 6, 7, 8, 9, 10) }
