// A Parquet file starts and ends with 'PAR1': a file too short to hold both, or without either, is
// refused before its footer is parsed, by every reader, with a ParquetError naming the file (message
// and context.path), what was expected and what the file holds.

import { StorageError } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { asyncBufferFromBytes, encodeParquet, readArrowBatches, readParquetMetadata } from '../src/index.js'
import type { AsyncBuffer } from '../src/index.js'
import { field, P, readAll, struct } from './helpers.js'

const PATH = 'part-00000.parquet'
const SCHEMA = struct(field('id', P('long')))
const GOOD = encodeParquet([{ id: 1n }, { id: 2n }], SCHEMA).bytes
const SIZE = GOOD.length

function withBytes(at: 'start' | 'end', bytes: readonly number[]): Uint8Array {
  const copy = Uint8Array.from(GOOD)
  copy.set(bytes, at === 'start' ? 0 : copy.length - bytes.length)
  return copy
}

/** The rejection of each reader (rows, metadata, Arrow) of `bytes`. */
async function rejections(bytes: Uint8Array): Promise<unknown[]> {
  const arrow = async (): Promise<void> => {
    for await (const batch of readArrowBatches(asyncBufferFromBytes(bytes), SCHEMA, { path: PATH })) void batch
  }
  return Promise.all([
    readAll(bytes, SCHEMA, { path: PATH }).then(() => 'read', (err: unknown) => err),
    readParquetMetadata(asyncBufferFromBytes(bytes), { path: PATH }).then(() => 'read', (err: unknown) => err),
    arrow().then(() => 'read', (err: unknown) => err),
  ])
}

/** `bytes` as an AsyncBuffer that records the ranges read. */
function counted(bytes: Uint8Array): { file: AsyncBuffer; reads: [number, number][] } {
  const inner = asyncBufferFromBytes(bytes)
  const reads: [number, number][] = []
  return { reads, file: { byteLength: inner.byteLength, slice: (start, end = inner.byteLength) => (reads.push([start, end]), inner.slice(start, end)) } }
}

describe("files without 'PAR1' at both ends", () => {
  it('reads the file as written, the magic from the footer read (one read), or one 4-byte read more over 512 KiB', async () => {
    expect(await readAll(GOOD, SCHEMA)).toEqual([{ id: 1n }, { id: 2n }])
    const small = counted(GOOD)
    expect(await readParquetMetadata(small.file)).toMatchObject({ numRows: 2 })
    expect(small.reads).toEqual([[0, SIZE]])
    const rows = Array.from({ length: 100_000 }, (_, i) => ({ id: BigInt(i) * 7919n }))
    const big = counted(encodeParquet(rows, SCHEMA, { compression: 'uncompressed' }).bytes)
    expect(big.file.byteLength).toBeGreaterThan(512 * 1024)
    expect(await readParquetMetadata(big.file)).toMatchObject({ numRows: 100_000 })
    expect(big.reads).toHaveLength(2)
    expect(big.reads).toContainEqual([0, 4])
  })

  it.each<[string, Uint8Array, string]>([
    ['another magic at the start', withBytes('start', [0x50, 0x41, 0x52, 0x32]), `expected 'PAR1' at the start of its ${SIZE} bytes, found 'PAR2'`],
    ['zeros at the start', withBytes('start', [0, 0, 0, 0]), `expected 'PAR1' at the start of its ${SIZE} bytes, found 0x00000000`],
    ['another magic at the end', withBytes('end', [0x50, 0x41, 0x52, 0x45]), `expected 'PAR1' at the end of its ${SIZE} bytes, found 'PARE'`],
    ['a truncated file (the tail cut off)', GOOD.subarray(0, SIZE - 3), `expected 'PAR1' at the end of its ${SIZE - 3} bytes, found 0x${[...GOOD.subarray(SIZE - 7, SIZE - 3)].map((b) => b.toString(16).padStart(2, '0')).join('')}`],
    ['a text file', new TextEncoder().encode('id,name\n1,one\n2,two\n'), "expected 'PAR1' at the start of its 20 bytes, found 'id,n'"],
    ['only the magic', new TextEncoder().encode('PAR1'), "expected at least 12 bytes ('PAR1', footer length, 'PAR1'), found 4"],
    ['an empty file', new Uint8Array(0), "expected at least 12 bytes ('PAR1', footer length, 'PAR1'), found 0"],
  ])('%s: ParquetError naming the file and what it found', async (_name, bytes, text) => {
    for (const err of await rejections(bytes)) {
      expect(err).toMatchObject({ name: 'ParquetError', code: 'ParquetError', message: `${PATH}: not a Parquet file: ${text}`, context: { path: PATH } })
    }
  })

  it('a short file that cannot be read fails with the read error, not as "not a Parquet file"', async () => {
    const missing = new StorageError('NotFound', 'get part-00000.parquet: expected an object, found none')
    const file: AsyncBuffer = { byteLength: 1, slice: () => Promise.reject(missing) }
    await expect(readParquetMetadata(file, { path: PATH })).rejects.toBe(missing)
  })
})
