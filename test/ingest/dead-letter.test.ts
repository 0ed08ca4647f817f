// Dead letters: malformed lines and wrong types go to the dead-letter sink (NDJSON file or Delta
// table) with the raw record, the error and the source position; past the budget the job fails.

import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { CsvSource, DeltaDeadLetterSink, NdjsonDeadLetterSink, NdjsonSource, runIngestJob } from '@lake/ingest'
import type { DeadLetter } from '@lake/ingest'
import { tempDir } from '../temp-dir.js'

const SCHEMA = {
  kind: 'struct' as const,
  fields: [
    { name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: false, metadata: {} },
    { name: 'name', type: { kind: 'primitive' as const, name: 'string' as const }, nullable: true, metadata: {} },
  ],
}

function input(dir: string): string {
  const lines = [
    '{"id":1,"name":"a"}',
    '{"id":2,"name":', // malformed JSON (line 2)
    '{"id":"three","name":"c"}', // wrong type (line 3)
    '[4]', // not an object (line 4)
    '{"id":5,"name":"e"}',
    '{"name":"no id"}', // missing non-nullable column (line 6)
    '{"id":7,"name":"g"}',
  ]
  const path = join(dir, 'in.ndjson')
  writeFileSync(path, lines.join('\n') + '\n')
  return path
}

describe('dead letters', () => {
  it('sends malformed lines and wrong types to an NDJSON sink with raw input, error and line', async () => {
    const dir = tempDir('lake-ingest-dlq-')
    const table = join(dir, 't')
    const sink = join(dir, 'dead.ndjson')
    const result = await runIngestJob({ table, appId: 'dlq', source: new NdjsonSource({ path: input(dir) }), schema: SCHEMA, maxBadRecords: 4, deadLetters: new NdjsonDeadLetterSink(sink), encoders: 0 })
    expect(result.metrics.rejected).toBe(4)
    const ids = (await (await DeltaTable.open(table)).toArray()).map((r) => r['id'])
    expect(ids).toEqual([1n, 5n, 7n])
    const letters = readFileSync(sink, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DeadLetter)
    expect(letters.map((l) => [l.position, l.code])).toEqual([
      [2, 'InvalidJson'],
      [3, 'SchemaMismatch'],
      [4, 'NotAnObject'],
      [6, 'SchemaMismatch'],
    ])
    expect(letters[0]).toMatchObject({ appId: 'dlq', batchId: 0, raw: '{"id":2,"name":' })
    expect(letters[1]?.message).toMatch(/column 'id' expects long, found string "three"/)
  })

  it('writes dead letters to a Delta table exactly once per batch', async () => {
    const dir = tempDir('lake-ingest-dlq-')
    const dead = join(dir, 'dead')
    await runIngestJob({ table: join(dir, 't'), appId: 'dlq', source: new NdjsonSource({ path: input(dir) }), schema: SCHEMA, maxBadRecords: 10, deadLetters: new DeltaDeadLetterSink(dead), encoders: 0 })
    const rows = await (await DeltaTable.open(dead)).toArray()
    expect(rows.map((r) => r['position']).sort()).toEqual(['2', '3', '4', '6'])
    expect(rows.every((r) => r['appId'] === 'dlq' && r['batchId'] === 0n)).toBe(true)
  })

  it('fails with TooManyBadRecords past the budget and commits nothing of that batch', async () => {
    const dir = tempDir('lake-ingest-dlq-')
    const table = join(dir, 't')
    const run = runIngestJob({ table, appId: 'dlq', source: new NdjsonSource({ path: input(dir) }), schema: SCHEMA, maxBadRecords: 2, encoders: 0 })
    await expect(run).rejects.toMatchObject({ code: 'TooManyBadRecords', context: { maxBadRecords: 2, rejected: 3 } })
    // Its first batch failed: the table it would have created does not exist, and no job state is left.
    await expect(DeltaTable.open(table)).rejects.toMatchObject({ code: 'TableNotFound' })
    expect(existsSync(join(table, '_lake_ingest'))).toBe(false)
  })

  it('dead-letters CSV records with bad cells or the wrong number of cells', async () => {
    const dir = tempDir('lake-ingest-dlq-')
    const path = join(dir, 'in.csv')
    writeFileSync(path, 'id,name\n1,a\nx,b\n3\n4,d\n')
    const sink = join(dir, 'dead.ndjson')
    await runIngestJob({ table: join(dir, 't'), appId: 'csv', source: new CsvSource({ path }), schema: SCHEMA, maxBadRecords: 5, deadLetters: new NdjsonDeadLetterSink(sink), encoders: 0 })
    const ids = (await (await DeltaTable.open(join(dir, 't'))).toArray()).map((r) => r['id'])
    expect(ids).toEqual([1n, 4n])
    const letters = readFileSync(sink, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as DeadLetter)
    expect(letters.map((l) => [l.position, l.raw])).toEqual([
      [2, 'x,b'],
      [3, '3'],
    ])
  })
})
