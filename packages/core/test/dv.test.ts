// Tests for deletion vectors: Z85, descriptors, roaring bitmap decoding, file reads and golden tables.

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import type { ObjectStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import type { DeletionVectorDescriptor } from '../src/actions/types.js'
import {
  decodeDeletionVectorBitmap,
  deletionVectorLocation,
  deletionVectorRelativePath,
  deletionVectorUniqueId,
  storeKeyOfAbsolutePath,
  z85Decode,
  z85Encode,
} from '../src/dv/index.js'
import { readDeletionVector } from '../src/read/read-deletion-vector.js'
import { encodeDvBitmap } from './dv-roaring-encoder.js'
import { GOLDEN_DIR, readGoldenActions } from './scan-golden-helpers.js'

/** A read-only store over a directory, enough for `get` with ranges. */
function dirStore(root: string): ObjectStore {
  const get = async (key: string, options?: { range?: { offset: number; length?: number } | { suffix: number } }) => {
    const bytes = new Uint8Array(readFileSync(path.join(root, key)))
    const range = options?.range
    if (range === undefined || 'suffix' in range) return bytes
    return bytes.subarray(range.offset, range.length === undefined ? undefined : range.offset + range.length)
  }
  const unsupported = () => Promise.reject(new Error('read-only test store'))
  return { url: `file://${root}`, get, head: unsupported, put: unsupported, putIfAbsent: unsupported, list: () => ({ [Symbol.asyncIterator]: () => ({ next: unsupported }) }), delete: unsupported } as unknown as ObjectStore
}

/** A store holding one in-memory DV file. */
function memoryDvStore(key: string, file: Uint8Array): ObjectStore {
  return {
    url: 'memory://t',
    get: async (k: string, o?: { range?: { offset: number; length?: number } }) => {
      if (k !== key) throw Object.assign(new Error('missing'), { code: 'NotFound' })
      const r = o?.range
      return r === undefined ? file : file.subarray(r.offset, r.length === undefined ? undefined : r.offset + r.length)
    },
  } as unknown as ObjectStore
}

function dvFile(bitmap: Uint8Array, { badCrc = false, sizeDelta = 0 } = {}): Uint8Array {
  const out = new Uint8Array(1 + 4 + bitmap.length + 4)
  const view = new DataView(out.buffer)
  out[0] = 1
  view.setUint32(1, bitmap.length + sizeDelta)
  out.set(bitmap, 5)
  view.setUint32(5 + bitmap.length, (crc32(bitmap) + (badCrc ? 1 : 0)) >>> 0)
  return out
}

describe('z85', () => {
  it('decodes the ZeroMQ reference vector', () => {
    const bytes = new Uint8Array([0x86, 0x4f, 0xd2, 0x6f, 0xb5, 0x59, 0xf7, 0x5b])
    expect(z85Decode('HelloWorld')).toEqual(bytes)
    expect(z85Encode(bytes)).toBe('HelloWorld')
  })

  it('round-trips bytes whose length is not a multiple of 4 given the output length', () => {
    const bytes = new Uint8Array([1, 2, 3, 4, 5, 255])
    expect(z85Decode(z85Encode(bytes), 6)).toEqual(bytes)
  })

  it.each([['abcd', /multiple of 5/], ['abcd~', /found '~'/], ['#####', /overflows/]])('rejects %s', (text, message) => {
    expect(() => z85Decode(text)).toThrow(expect.objectContaining({ code: 'CorruptLog', message: expect.stringMatching(message) }))
  })
})

describe('deletionVectorUniqueId', () => {
  it.each([
    [{ storageType: 'u', pathOrInlineDv: 'ab', offset: 1, sizeInBytes: 1, cardinality: 1 }, 'uab@1'],
    [{ storageType: 'i', pathOrInlineDv: 'xyz', sizeInBytes: 1, cardinality: 1 }, 'ixyz'],
  ] as const)('builds %o as %s', (dv, id) => {
    expect(deletionVectorUniqueId(dv)).toBe(id)
  })
})

describe('deletionVectorRelativePath', () => {
  it('turns the Z85 uuid into the file name and the prefix into a folder', () => {
    const uuid = new Uint8Array([...Array(16).keys()])
    expect(deletionVectorRelativePath(`ab${z85Encode(uuid)}`)).toBe('ab/deletion_vector_00010203-0405-0607-0809-0a0b0c0d0e0f.bin')
    expect(deletionVectorRelativePath(z85Encode(uuid))).toBe('deletion_vector_00010203-0405-0607-0809-0a0b0c0d0e0f.bin')
  })

  it('rejects an id shorter than a uuid', () => {
    expect(() => deletionVectorRelativePath('short')).toThrow(/at least 20 chars, found 5/)
  })
})

describe('storeKeyOfAbsolutePath', () => {
  it.each([
    ['file:///data/t', 'file:/data/t/dv/x.bin', 'dv/x.bin'],
    ['s3://b/t/', 's3://b/t/deletion_vector_a%20b.bin', 'deletion_vector_a b.bin'],
  ])('maps %s + %s to %s', (root, abs, key) => {
    expect(storeKeyOfAbsolutePath(root, abs)).toBe(key)
  })

  it('refuses a path outside the table', () => {
    expect(() => storeKeyOfAbsolutePath('s3://b/t', 's3://b/other/x.bin')).toThrow(expect.objectContaining({ code: 'Unsupported' }))
  })
})

describe('decodeDeletionVectorBitmap', () => {
  const sparse = [0, 3, 65535, 65536, 70000, 2 ** 32 + 5, 3 * 2 ** 32]
  const dense = [...Array(5000).keys()].map((i) => i * 2 + 100)
  const runs = [...[...Array(300).keys()].map((i) => 10 + i), ...[...Array(10).keys()].map((i) => 65536 * 4 + i), 2 ** 33]
  it.each([
    ['array containers', sparse, 'array', false],
    ['array containers under the run cookie', sparse, 'array', true],
    ['a bitmap container', dense, 'bitmap', false],
    ['run containers', runs, 'run', true],
  ] as const)('decodes %s', (_name, rows, kind, cookie) => {
    expect([...decodeDeletionVectorBitmap(encodeDvBitmap(rows, kind, cookie))]).toEqual(rows)
  })

  it('decodes an empty bitmap to no rows', () => {
    expect(decodeDeletionVectorBitmap(encodeDvBitmap([]))).toHaveLength(0)
  })

  it('rejects a wrong magic number with both values', () => {
    const bytes = encodeDvBitmap([1])
    bytes[0] = 0
    expect(() => decodeDeletionVectorBitmap(bytes)).toThrow(/expected magic 1681511377, found 1681511168/)
  })

  it('rejects a truncated bitmap', () => {
    const bytes = encodeDvBitmap([1, 2, 3])
    expect(() => decodeDeletionVectorBitmap(bytes.subarray(0, bytes.length - 1))).toThrow(/truncated/)
  })
})

describe('readDeletionVector', () => {
  const rows = [1, 5, 9]
  const bitmap = encodeDvBitmap(rows)
  const uuid = z85Encode(new Uint8Array(16).fill(7))
  const key = deletionVectorRelativePath(uuid)
  const dv: DeletionVectorDescriptor = { storageType: 'u', pathOrInlineDv: uuid, offset: 1, sizeInBytes: bitmap.length, cardinality: 3 }

  it('reads a file DV at its offset', async () => {
    expect([...(await readDeletionVector(memoryDvStore(key, dvFile(bitmap)), dv))]).toEqual(rows)
  })

  it('reads an inline DV', async () => {
    const inline: DeletionVectorDescriptor = { storageType: 'i', pathOrInlineDv: z85Encode(bitmap), sizeInBytes: bitmap.length, cardinality: 3 }
    expect(deletionVectorLocation(inline).kind).toBe('inline')
    expect([...(await readDeletionVector(memoryDvStore('', new Uint8Array()), inline))]).toEqual(rows)
  })

  it.each([
    ['a checksum mismatch', { badCrc: true }, /checksum mismatch/],
    ['a size mismatch', { sizeDelta: 1 }, /expected \d+ bytes, found \d+/],
  ])('rejects %s', async (_name, fault, message) => {
    await expect(readDeletionVector(memoryDvStore(key, dvFile(bitmap, fault)), dv)).rejects.toMatchObject({ code: 'CorruptLog', message: expect.stringMatching(message) })
  })

  it('rejects a cardinality that disagrees with the bitmap', async () => {
    await expect(readDeletionVector(memoryDvStore(key, dvFile(bitmap)), { ...dv, cardinality: 4 })).rejects.toThrow(/expected 4 rows, found 3/)
  })
})

describe('golden deletion vectors', () => {
  it.each(['dv-partitioned-with-checkpoint', 'dv-with-columnmapping', 'log-replay-dv-key-cases'])(
    'reads every DV of %s with the declared cardinality, in range of the file',
    async (table) => {
      const store = dirStore(path.join(GOLDEN_DIR, table))
      const adds = readGoldenActions(table).map(({ action }) => action['add'] as Record<string, unknown> | undefined)
      let checked = 0
      for (const add of adds) {
        const dv = add?.['deletionVector'] as DeletionVectorDescriptor | undefined
        if (dv === undefined || add === undefined) continue
        const rows = await readDeletionVector(store, dv)
        const numRecords = (JSON.parse(add['stats'] as string) as { numRecords: number }).numRecords
        expect(rows.length).toBe(dv.cardinality)
        expect(rows[rows.length - 1]).toBeLessThan(numRecords)
        checked++
      }
      expect(checked).toBeGreaterThan(0)
    },
  )
})
