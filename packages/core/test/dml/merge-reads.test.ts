// Which target columns a MERGE decodes (operations/merge/target-reads.ts): with deletion vectors only
// the columns ON and the clause conditions read, plus — in a second read of just the files with such
// updates — the columns a post-image keeps; copy-on-write and the change data feed read whole rows.
// Observed through a codec that records every data-file read, and checked against the rows written.

import type { ParquetCodec, PrimitiveName, Row, StructField, StructType } from '@lake/parquet'
import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { DeltaTable, createEngine } from '../../src/index.js'
import type { Engine } from '../../src/index.js'
import { DEFAULT_CODEC } from '../../src/internal.js'

const field = (name: string, type: PrimitiveName, nullable = true): StructField => ({ name, type: { kind: 'primitive', name: type }, nullable, metadata: {} })
const SCHEMA: StructType = { kind: 'struct', fields: [field('id', 'long', false), field('p', 'string'), field('v', 'integer'), field('s', 'string')] }

/** One data-file read: the file's key and the columns decoded. */
interface Read {
  readonly path: string
  readonly columns: readonly string[]
}

/** The default codec, recording every data-file read by rows or by columns (the columnar MERGE reads its keys by columns). */
function recordingCodec(reads: Read[]): ParquetCodec {
  const record = (options: { readonly path?: string; readonly columns?: readonly string[] } | undefined): void => {
    if (options?.path !== undefined && !options.path.startsWith('_delta_log/')) reads.push({ path: options.path, columns: [...(options.columns ?? [])] })
  }
  const { readColumns, readBatches } = DEFAULT_CODEC
  if (readColumns === undefined || readBatches === undefined) throw new Error('expected the default codec to read columns and batches')
  return {
    ...DEFAULT_CODEC,
    readRows: (file, schema, options) => {
      record(options)
      return DEFAULT_CODEC.readRows(file, schema, options)
    },
    readColumns: (file, schema, options) => {
      record(options)
      return readColumns.call(DEFAULT_CODEC, file, schema, options)
    },
    readBatches: (file, schema, options) => {
      record({ ...options, columns: options?.columns ?? schema.fields.map((f) => f.name) })
      return readBatches.call(DEFAULT_CODEC, file, schema, options)
    },
  }
}

interface Setup {
  readonly dv?: boolean
  readonly cdf?: boolean
  readonly partitioned?: boolean
}

/** A table of three files: ids 0..9 (file 0), even ids 10..18 (file 1, a gap at every odd id), 20..29 (file 2). */
async function table(setup: Setup): Promise<{ engine: Engine; reads: Read[]; files: string[] }> {
  const reads: Read[] = []
  const engine = createEngine(new MemoryStore({ url: 'memory://merge-reads' }), { codec: recordingCodec(reads) })
  const configuration = {
    ...(setup.dv === false ? {} : { 'delta.enableDeletionVectors': 'true' }),
    ...(setup.cdf === true ? { 'delta.enableChangeDataFeed': 'true' } : {}),
  }
  const created = await DeltaTable.create(engine, { schema: SCHEMA, configuration, ...(setup.partitioned === true ? { partitionBy: ['p'] } : {}) })
  const row = (id: number): Row => ({ id: BigInt(id), p: 'a', v: id, s: `s${id}` })
  await created.write(Array.from({ length: 10 }, (_, i) => row(i)))
  await created.write(Array.from({ length: 5 }, (_, i) => row(10 + 2 * i)))
  await created.write(Array.from({ length: 10 }, (_, i) => row(20 + i)))
  const files = (await DeltaTable.open(engine)).files().map((f) => f.path)
  reads.length = 0
  return { engine, reads, files }
}

const fileOf = (files: readonly string[], path: string): number => files.findIndex((f) => path.endsWith(f))
const readsOf = (reads: readonly Read[], files: readonly string[]): [number, string][] => reads.map((r) => [fileOf(files, r.path), r.columns.join(',')])

async function rows(engine: Engine): Promise<string[]> {
  const all = await (await DeltaTable.open(engine)).toArray()
  return all.map((r) => `${String(r['id'])}:${String(r['p'])}:${String(r['v'])}:${String(r['s'])}`).sort()
}

describe('MERGE with deletion vectors decodes only the target columns it needs', () => {
  it.each([false, true])('an upsert from a source with every column reads only the key (partitioned %s)', async (partitioned) => {
    const { engine, reads, files } = await table({ partitioned })
    const source = [{ id: 3, p: 'a', v: 300, s: 'new3' }, { id: 40, p: 'a', v: 4000, s: 'new40' }]
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().whenNotMatchedInsertAll().execute()
    expect(readsOf(reads, files)).toEqual([[0, 'id']])
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsInserted: 1, numTargetRowsCopied: 0, numTargetDeletionVectorsAdded: 1 })
    const after = await rows(engine)
    expect(after).toContain('3:a:300:new3')
    expect(after).toContain('40:a:4000:new40')
    expect(after).toHaveLength(26)
  })

  it.each([false, true])('a partial SET reads the kept columns again only in files with a matched update (partitioned %s)', async (partitioned) => {
    const { engine, reads, files } = await table({ partitioned })
    // 13 falls in file 1's id range but matches no row there; 24 matches in file 2.
    const source = [{ id: 13, v: 1300 }, { id: 24, v: 2400 }]
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdate({ set: { v: 'source.v' } }).execute()
    expect(readsOf(reads, files)).toEqual([[1, 'id'], [2, 'id'], [2, partitioned ? 'id,s' : 'id,p,s']])
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 1, numTargetRowsCopied: 0 })
    expect(await rows(engine)).toContain('24:a:2400:s24')
  })

  it('post-images of a file that already has a deletion vector take the right rows', async () => {
    const { engine, reads, files } = await table({})
    await (await DeltaTable.open(engine)).delete('id IN (20, 21, 23)')
    reads.length = 0
    const source = [{ id: 22, v: 2200 }, { id: 24, v: 2400 }, { id: 29, v: 2900 }]
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdate({ set: { v: 'source.v + target.v' } }).execute()
    expect(result.metrics).toMatchObject({ numTargetRowsUpdated: 3, numTargetDeletionVectorsUpdated: 1 })
    expect(readsOf(reads, files)).toEqual([[2, 'id'], [2, 'id,p,v,s']]) // SET reads target.v: the post-image's read
    const after = await rows(engine)
    expect(after.filter((r) => Number(r.split(':')[0]) >= 20)).toEqual(['22:a:2222:s22', '24:a:2424:s24', '25:a:25:s25', '26:a:26:s26', '27:a:27:s27', '28:a:28:s28', '29:a:2929:s29'])
  })

  it('reads the columns of the conditions too, and nothing more for deletes', async () => {
    const { engine, reads, files } = await table({})
    const source = [{ id: 5, v: 0 }, { id: 6, v: 0 }]
    const result = await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedDelete({ condition: "target.s = 's5'" }).execute()
    expect(result.metrics).toMatchObject({ numTargetRowsDeleted: 1 })
    expect(readsOf(reads, files)).toEqual([[0, 'id,s']])
  })

  it('an ON over partition columns only still decodes one data column, to count and index the rows', async () => {
    const { engine, reads, files } = await table({ partitioned: true })
    const result = await (await DeltaTable.open(engine)).merge([{ p: 'a' }], { on: 'target.p = source.p AND target.v < 5' }).whenMatchedDelete().execute()
    expect(result.metrics).toMatchObject({ numTargetRowsDeleted: 5, numTargetDeletionVectorsAdded: 1 })
    expect(readsOf(reads, files)).toEqual([[0, 'v'], [1, 'v'], [2, 'v']])
    const onlyPartition = await (await DeltaTable.open(engine)).merge([{ p: 'a' }], { on: 'target.p = source.p' }).whenMatchedDelete().execute()
    expect(onlyPartition.metrics).toMatchObject({ numTargetRowsDeleted: 20 })
    expect(reads.slice(3).map((r) => r.columns.join(','))).toEqual(['id', 'id', 'id'])
    expect(await rows(engine)).toEqual([])
  })

  it.each<[string, Setup, [number, string][]]>([
    // The columnar executor probes with the key, then reads the file it rewrites whole, as Arrow.
    ['copy-on-write (copies of untouched rows)', { dv: false }, [[0, 'id'], [0, 'id,p,v,s']]],
    ['the change data feed (pre-images)', { cdf: true }, [[0, 'id,p,v,s']]],
  ])('%s reads whole rows', async (_name, setup, expected) => {
    const { engine, reads, files } = await table(setup)
    const source = [{ id: 3, p: 'a', v: 300, s: 'new3' }]
    await (await DeltaTable.open(engine)).merge(source, { on: 'target.id = source.id' }).whenMatchedUpdateAll().execute()
    expect(readsOf(reads, files)).toEqual(expected)
    expect(await rows(engine)).toContain('3:a:300:new3')
  })
})
