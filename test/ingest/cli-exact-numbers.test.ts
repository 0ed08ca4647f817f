// `lake ingest` keeps NDJSON numbers exact on both @lake/ingest routes: an exactly-once job (file
// with --app-id), a parallel append (no --app-id) and the writeDelta routes (overwrite, mergeSchema):
// int64 beyond 2^53 and decimal(38,2) digits.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import type { StructType } from '@lake/parquet'
import { tempDir } from '../temp-dir.js'
import { lake } from '../cli/cli-harness.js'


const SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} },
    { name: 'amount', type: { kind: 'decimal', precision: 38, scale: 2 }, nullable: true, metadata: {} },
    { name: 'ratio', type: { kind: 'primitive', name: 'double' }, nullable: true, metadata: {} },
  ],
}

const INPUT = [
  '{"id": 9007199254740993, "amount": 12345678901234567.89, "ratio": 0.30000000000000004}',
  '{"id": 1, "amount": 99999999999999999999999999999999999.99, "ratio": 0.1000000000000000055511151231257827}',
  '{"id": 2, "amount": 0.01, "ratio": 1.5}',
].join('\n')

const EXPECTED = [
  { id: 1n, amount: '99999999999999999999999999999999999.99', ratio: 0.1 },
  { id: 2n, amount: '0.01', ratio: 1.5 },
  { id: 9007199254740993n, amount: '12345678901234567.89', ratio: 0.30000000000000004 },
]


async function setup(): Promise<{ input: string; table: string }> {
  const dir = tempDir('lake-cli-exact-')
  const input = join(dir, 'in.ndjson')
  writeFileSync(input, INPUT + '\n')
  const table = join(dir, 'table')
  await DeltaTable.create(table, { schema: SCHEMA })
  return { input, table }
}

async function rows(table: string): Promise<Record<string, unknown>[]> {
  const out = await (await DeltaTable.open(table)).toArray()
  return out.map((r) => ({ ...r })).sort((a, b) => (BigInt(a['id'] as bigint) < BigInt(b['id'] as bigint) ? -1 : 1))
}

describe('lake ingest exact numbers', () => {
  it.each([
    ['an exactly-once job (--app-id)', ['--app-id', 'exact-job', '--batch-rows', '2']],
    ['a parallel append (no --app-id)', ['--concurrency', '2']],
    ['an atomic overwrite (writeDelta route)', ['--mode', 'overwrite']],
    ['a mergeSchema append in batches (writeDelta route)', ['--schema-mode', 'merge', '--batch-rows', '2']],
  ])('land exactly through %s', async (_route, extra) => {
    const { input, table } = await setup()
    const r = await lake(['ingest', input, table, ...extra])
    expect(r.code, r.stderr).toBe(0)
    expect(await rows(table)).toEqual(EXPECTED)
  })
})
