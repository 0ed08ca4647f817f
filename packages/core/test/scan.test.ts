// Tests for scans over an in-memory table: planning, deletion vectors across batches and row groups,
// missing columns, column mapping renames, projection, read-ahead ordering/cancellation and abort.

import { encodeParquet } from '@lake/parquet'
import type { DataType, Row, StructField, StructType } from '@lake/parquet'
import { MemoryStore, countingStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import type { AddFile, DeletionVectorDescriptor } from '../src/actions/types.js'
import { createEngine } from '../src/engine.js'
import { z85Encode } from '../src/dv/z85.js'
import { bindPredicate } from '../src/expr/bind.js'
import { compileFileReader, countRows, planScan, readAhead, readScanFile, readScanFileIndexed, scan, valueRenamer } from '../src/scan/index.js'
import type { ScanSource } from '../src/scan/index.js'
import { encodeDvBitmap } from './dv-roaring-encoder.js'

const p = (name: string): DataType => ({ kind: 'primitive', name }) as DataType
const field = (name: string, type: DataType, physical?: string, id?: number): StructField => ({
  name,
  type,
  nullable: true,
  metadata: physical === undefined ? {} : { 'delta.columnMapping.physicalName': physical, 'delta.columnMapping.id': id ?? 0 },
})

const schema: StructType = { kind: 'struct', fields: [field('id', p('long')), field('name', p('string')), field('day', p('date'))] }

interface TableFile {
  readonly path: string
  readonly rows: readonly Row[]
  readonly day: string | null
  readonly dv?: readonly number[]
  readonly rowGroupSize?: number
  readonly fileSchema?: StructType
}

async function makeTable(files: readonly TableFile[], tableSchema: StructType = schema, mode: ScanSource['columnMappingMode'] = 'none') {
  const store = new MemoryStore()
  const adds: AddFile[] = []
  for (const f of files) {
    const encoded = encodeParquet(f.rows, f.fileSchema ?? { kind: 'struct', fields: (f.fileSchema ?? tableSchema).fields.filter((x) => x.name !== 'day') }, {
      ...(f.rowGroupSize === undefined ? {} : { rowGroupSize: f.rowGroupSize }),
      fieldIds: mode === 'id',
    })
    await store.put(f.path, encoded.bytes)
    let deletionVector: DeletionVectorDescriptor | undefined
    if (f.dv !== undefined) {
      const bitmap = encodeDvBitmap(f.dv)
      deletionVector = { storageType: 'i', pathOrInlineDv: z85Encode(bitmap), sizeInBytes: bitmap.length, cardinality: f.dv.length }
    }
    adds.push({
      path: f.path,
      partitionValues: { day: f.day },
      size: encoded.bytes.length,
      modificationTime: 0,
      dataChange: true,
      stats: JSON.stringify(encoded.stats),
      ...(deletionVector === undefined ? {} : { deletionVector }),
    })
  }
  const snapshot: ScanSource = { schema: tableSchema, partitionColumns: ['day'], columnMappingMode: mode, files: () => adds }
  return { store, snapshot, engine: createEngine(store) }
}

const rowsOf = (from: number, to: number): Row[] => Array.from({ length: to - from }, (_, i) => ({ id: BigInt(from + i), name: `n${from + i}` }))

async function collect(iterable: AsyncIterable<Row[]>): Promise<Row[]> {
  const out: Row[] = []
  for await (const batch of iterable) out.push(...batch)
  return out
}

describe('planScan', () => {
  it('prunes by partition values and skips by stats, counting each', async () => {
    const { snapshot } = await makeTable([
      { path: 'day=2024-01-01/a.parquet', rows: rowsOf(0, 10), day: '2024-01-01' },
      { path: 'day=2024-01-02/b.parquet', rows: rowsOf(10, 20), day: '2024-01-02' },
      { path: 'day=2024-01-02/c.parquet', rows: rowsOf(20, 30), day: '2024-01-02' },
    ])
    const byDay = planScan(snapshot, { filter: "day = '2024-01-02'" })
    expect(byDay.files.map((f) => f.path)).toEqual(['day=2024-01-02/b.parquet', 'day=2024-01-02/c.parquet'])
    expect(byDay.prunedByPartition).toBe(1)
    const byId = planScan(snapshot, { filter: "day = '2024-01-02' AND id < 15" })
    expect(byId.files.map((f) => f.path)).toEqual(['day=2024-01-02/b.parquet'])
    expect(byId.skippedByStats).toBe(2)
  })

  it('reads filter columns but returns only the requested ones', async () => {
    const { snapshot } = await makeTable([])
    const plan = planScan(snapshot, { columns: ['NAME'], filter: 'id > 1' })
    expect(plan.outputColumns).toEqual(['name'])
    expect(plan.dataFields.map((f) => f.name)).toEqual(['id', 'name'])
  })

  it('accepts a bound predicate', async () => {
    const { snapshot } = await makeTable([{ path: 'a.parquet', rows: rowsOf(0, 3), day: null }])
    expect(planScan(snapshot, { filter: bindPredicate('FALSE', schema) }).files).toHaveLength(0)
  })

  it('rejects unknown columns and bad filters before any I/O', async () => {
    const { snapshot, engine, store } = await makeTable([])
    const counting = countingStore(store)
    expect(() => planScan(snapshot, { columns: ['nope'] })).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
    await expect(collect(scan({ ...engine, store: counting.store }, snapshot, { filter: 'id = ' }))).rejects.toMatchObject({ code: 'InvalidPredicate' })
    expect(counting.total()).toBe(0)
  })

  it('reads only the planned files, with ranged gets and no listing', async () => {
    const { engine, snapshot, store } = await makeTable([
      { path: 'day=2024-01-01/a.parquet', rows: rowsOf(0, 10), day: '2024-01-01' },
      { path: 'day=2024-01-02/b.parquet', rows: rowsOf(10, 20), day: '2024-01-02' },
    ])
    const counting = countingStore(store)
    const rows = await collect(scan({ ...engine, store: counting.store }, snapshot, { filter: "day = '2024-01-02'" }))
    expect(rows).toHaveLength(10)
    expect(new Set(counting.paths.get)).toEqual(new Set(['day=2024-01-02/b.parquet']))
    expect(counting.counts.list + counting.counts.head).toBe(0)
  })
})

describe('scan', () => {
  it('drops deletion vector rows by physical index across batches and row groups', async () => {
    const deleted = [0, 4, 5, 6, 13, 24]
    const { engine, snapshot } = await makeTable([{ path: 'a.parquet', rows: rowsOf(0, 25), day: '2024-01-01', dv: deleted, rowGroupSize: 7 }])
    const rows = await collect(scan(engine, snapshot, { batchRows: 3 }))
    expect(rows.map((r) => Number(r['id']))).toEqual([...Array(25).keys()].filter((i) => !deleted.includes(i)))
    expect(await countRows(engine, snapshot)).toBe(19)
  })

  it('yields physical row indexes that skip deletion vector rows but count them, with a filter', async () => {
    const deleted = [0, 4, 5, 6, 13, 24]
    const { engine, snapshot } = await makeTable([{ path: 'a.parquet', rows: rowsOf(0, 25), day: '2024-01-01', dv: deleted, rowGroupSize: 7 }])
    const add = snapshot.files()[0] as AddFile
    const all = { rows: [] as Row[], indexes: [] as number[] }
    for await (const batch of readScanFileIndexed(engine, compileFileReader(planScan(snapshot)), add, { batchRows: 3 })) {
      expect(batch.rowIndexes).toHaveLength(batch.rows.length)
      all.rows.push(...batch.rows)
      all.indexes.push(...batch.rowIndexes)
    }
    const live = [...Array(25).keys()].filter((i) => !deleted.includes(i))
    expect(all.indexes).toEqual(live)
    expect(all.rows.map((r) => Number(r['id']))).toEqual(live)
    const filtered: number[] = []
    for await (const batch of readScanFileIndexed(engine, compileFileReader(planScan(snapshot, { filter: 'id >= 10', columns: ['name'] })), add)) {
      filtered.push(...batch.rowIndexes)
      expect(batch.rows.map((r) => r['name'])).toEqual(batch.rowIndexes.map((i) => `n${i}`))
    }
    expect(filtered).toEqual(live.filter((i) => i >= 10))
    const plain: Row[] = []
    for await (const batch of readScanFile(engine, compileFileReader(planScan(snapshot)), add)) plain.push(...batch)
    expect(plain).toEqual(all.rows)
  })

  it('injects typed partition values and reads columns missing from a file as null', async () => {
    const { engine, snapshot } = await makeTable([
      { path: 'a.parquet', rows: [{ id: 1n }], day: '2024-02-29', fileSchema: { kind: 'struct', fields: [field('id', p('long'))] } },
      { path: 'b.parquet', rows: [{ id: 2n, name: 'x' }], day: null },
    ])
    expect(await collect(scan(engine, snapshot))).toEqual([
      { id: 1n, name: null, day: '2024-02-29' },
      { id: 2n, name: 'x', day: null },
    ])
  })

  it('applies the filter row-wise after skipping, with three-valued logic', async () => {
    const { engine, snapshot } = await makeTable([{ path: 'a.parquet', rows: [...rowsOf(0, 5), { id: null, name: 'null id' }], day: null }])
    const rows = await collect(scan(engine, snapshot, { filter: 'id != 2', columns: ['name'] }))
    expect(rows).toEqual([{ name: 'n0' }, { name: 'n1' }, { name: 'n3' }, { name: 'n4' }])
  })

  it.each(['name', 'id'] as const)('renames physical columns to logical names in %s mode, nested too', async (mode) => {
    const inner: StructType = { kind: 'struct', fields: [field('v', p('integer'), 'col-v', 3)] }
    const logical: StructType = { kind: 'struct', fields: [field('id', p('long'), 'col-id', 1), field('s', inner, 'col-s', 2), field('day', p('date'), 'col-day', 4)] }
    const physical: StructType = {
      kind: 'struct',
      fields: [field('col-id', p('long'), 'col-id', 1), field('col-s', { kind: 'struct', fields: [field('col-v', p('integer'), 'col-v', 3)] }, 'col-s', 2)],
    }
    const { engine, snapshot } = await makeTable([{ path: 'a.parquet', rows: [{ 'col-id': 7n, 'col-s': { 'col-v': 8 } }], day: null, fileSchema: physical }], logical, mode)
    const withDay = { ...snapshot, files: () => snapshot.files().map((f) => ({ ...f, partitionValues: { 'col-day': '2024-01-01' } })) }
    expect(await collect(scan(engine, withDay, { filter: 's.v = 8 AND day = DATE \'2024-01-01\'' }))).toEqual([{ id: 7n, s: { v: 8 }, day: '2024-01-01' }])
  })

  it('stops with Aborted when the signal aborts', async () => {
    const { engine, snapshot } = await makeTable([{ path: 'a.parquet', rows: rowsOf(0, 10), day: null }])
    const controller = new AbortController()
    controller.abort()
    await expect(collect(scan(engine, snapshot, { signal: controller.signal }))).rejects.toMatchObject({ code: 'Aborted' })
  })

  it('fails with NotFound when a data file is missing', async () => {
    const { engine, snapshot, store } = await makeTable([{ path: 'a.parquet', rows: rowsOf(0, 1), day: null }])
    await store.delete('a.parquet')
    await expect(collect(scan(engine, snapshot))).rejects.toMatchObject({ code: 'NotFound' })
  })
})

describe('readAhead', () => {
  async function* source(name: string, n: number, log: string[]): AsyncGenerator<string> {
    try {
      for (let i = 0; i < n; i++) {
        log.push(`${name}${i}`)
        yield `${name}${i}`
      }
    } finally {
      log.push(`${name}:closed`)
    }
  }

  it('keeps source order while reading ahead a bounded amount', async () => {
    const log: string[] = []
    const out: string[] = []
    for await (const item of readAhead([() => source('a', 3, log), () => source('b', 5, log), () => source('c', 2, log)], 2, 1)) out.push(item)
    expect(out).toEqual(['a0', 'a1', 'a2', 'b0', 'b1', 'b2', 'b3', 'b4', 'c0', 'c1'])
  })

  it('does not open more than `limit` sources before the first is consumed', async () => {
    const log: string[] = []
    const it = readAhead([() => source('a', 1, log), () => source('b', 1, log), () => source('c', 1, log)], 2, 1)[Symbol.asyncIterator]()
    await it.next()
    expect(log.some((l) => l.startsWith('c'))).toBe(false)
    await it.return?.()
  })

  it('closes open sources when the consumer stops early', async () => {
    const log: string[] = []
    for await (const item of readAhead([() => source('a', 100, log), () => source('b', 100, log)], 2, 1)) {
      if (item === 'a1') break
    }
    await new Promise((resolve) => setImmediate(resolve))
    expect(log).toContain('a:closed')
    expect(log).toContain('b:closed')
    expect(log.filter((l) => l.startsWith('a') && !l.includes(':')).length).toBeLessThan(10)
  })

  it('rethrows a source failure after the items before it', async () => {
    async function* failing(): AsyncGenerator<string> {
      yield 'x'
      throw new Error('boom')
    }
    const out: string[] = []
    await expect((async () => { for await (const i of readAhead([failing], 1, 4)) out.push(i) })()).rejects.toThrow('boom')
    expect(out).toEqual(['x'])
  })
})

describe('valueRenamer', () => {
  it('renames struct fields inside arrays and maps', () => {
    const leaf: StructType = { kind: 'struct', fields: [field('a', p('integer'), 'p-a')] }
    const type: DataType = { kind: 'map', keyType: p('string'), valueType: { kind: 'array', elementType: leaf, containsNull: true }, valueContainsNull: true }
    const rename = valueRenamer(type, 'name')
    expect(rename?.(new Map([['k', [{ 'p-a': 1 }, null]]]))).toEqual(new Map([['k', [{ a: 1 }, null]]]))
    expect(valueRenamer(type, 'none')).toBeUndefined()
  })
})
