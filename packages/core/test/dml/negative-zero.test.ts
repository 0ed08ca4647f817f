// A double column holding both -0 and 0 keeps them apart through copy-on-write rewrites on either route
// (the row route encodes with hyparquet-writer, whose dictionary would have keyed both as one value:
// @lake/parquet negative-zero.ts). A random table of the DELETE route comparison found it.

import { describe, expect, it } from 'vitest'
import { MemoryStore } from '@lake/storage'
import type { StructType } from '@lake/parquet'
import { DeltaTable, createEngine } from '../../src/index.js'
import { columnarRoute } from '../../src/rewrite/columnar-match.js'

const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
    { name: 'd', type: { kind: 'primitive', name: 'double' }, nullable: true, metadata: {} },
    { name: 'part', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
  ],
}

/** The table's d values by id, -0 written as the text '-0'. */
async function values(table: DeltaTable): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {}
  for await (const batch of table.scan()) for (const r of batch) out[String(r['id'])] = Object.is(r['d'], -0) ? '-0' : r['d']
  return out
}

describe.each([
  ['row route', false],
  ['columnar route', true],
])('copy-on-write on the %s keeps -0 apart from 0', (_route, columnar) => {
  it.each([false, true])('DELETE and UPDATE (partitioned %s)', async (partitioned) => {
    const engine = createEngine(new MemoryStore({ url: 'memory://negative-zero' }))
    await DeltaTable.create(engine, { schema: SCHEMA, partitionBy: partitioned ? ['part'] : [] })
    await (await DeltaTable.open(engine)).write([{ id: 0n, d: 1, part: 'a' }, { id: 1n, d: 0, part: 'a' }, { id: 2n, d: -0, part: 'a' }, { id: 3n, d: -0, part: 'a' }])
    columnarRoute.columnar = columnar
    try {
      await (await DeltaTable.open(engine)).delete('id = 0')
      expect(await values(await DeltaTable.open(engine))).toEqual({ 1: 0, 2: '-0', 3: '-0' })
      await (await DeltaTable.open(engine)).update({ set: { part: "'b'" }, where: 'id = 3' })
      expect(await values(await DeltaTable.open(engine))).toEqual({ 1: 0, 2: '-0', 3: '-0' })
    } finally {
      columnarRoute.columnar = true
    }
  })
})
