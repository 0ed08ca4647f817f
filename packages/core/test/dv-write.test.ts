// Tests for the deletion vector writer side: DV file framing, new descriptors (inline and file), the
// store-level writeDeletionVectors, and byte-for-byte agreement with the DVs of the golden tables.

import { readFileSync } from 'node:fs'
import path from 'node:path'
import { crc32 } from 'node:zlib'
import { MemoryStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import type { DeletionVectorDescriptor } from '../src/actions/types.js'
import { createEngine } from '../src/engine.js'
import {
  decodeDeletionVectorBitmap,
  deletionVectorFileName,
  deletionVectorRelativePath,
  encodeDeletionVectorBitmap,
  encodeDeletionVectorFile,
  inlineDeletionVector,
  parseUuid,
  readDeletionVector,
  storedDeletionVector,
  writeDeletionVectors,
} from '../src/internal.js'
import { GOLDEN_DIR, readGoldenActions } from './scan-golden-helpers.js'

const UUID = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0'
const rowsOf = async (store: MemoryStore, dv: DeletionVectorDescriptor): Promise<number[]> => [...(await readDeletionVector(store, dv))]

describe('encodeDeletionVectorFile', () => {
  it('writes the version byte, then big-endian size, bitmap and big-endian CRC-32 per DV', () => {
    const a = encodeDeletionVectorBitmap([1]).bitmap
    const b = encodeDeletionVectorBitmap([2, 3]).bitmap
    const file = encodeDeletionVectorFile([a, b])
    expect(file.entries).toEqual([
      { offset: 1, sizeInBytes: a.length },
      { offset: 1 + 4 + a.length + 4, sizeInBytes: b.length },
    ])
    const view = new DataView(file.bytes.buffer)
    expect(file.bytes[0]).toBe(1)
    expect(view.getUint32(1)).toBe(a.length)
    expect(file.bytes.subarray(5, 5 + a.length)).toEqual(a)
    expect(view.getUint32(5 + a.length)).toBe(crc32(a))
    expect(view.getUint32(1 + 8 + a.length)).toBe(b.length)
    expect(view.getUint32(file.bytes.length - 4)).toBe(crc32(b))
    expect(file.bytes.length).toBe(1 + 8 + a.length + 8 + b.length)
  })

  it('is read back by readDeletionVector at each entry', async () => {
    const store = new MemoryStore()
    const sets = [[0, 7, 65536], [5], [...Array(5000).keys()]]
    const encoded = sets.map((rows) => encodeDeletionVectorBitmap(rows))
    const name = deletionVectorFileName(UUID)
    const file = encodeDeletionVectorFile(encoded.map((e) => e.bitmap))
    await store.put(name.path, file.bytes)
    for (const [i, rows] of sets.entries()) {
      const entry = file.entries[i]
      expect(entry).toBeDefined()
      if (entry !== undefined) expect(await rowsOf(store, storedDeletionVector(name.id, entry, rows.length))).toEqual(rows)
    }
  })

  it('refuses a file beyond the 2^31 - 1 bytes a descriptor can address', () => {
    const huge = { length: 2 ** 31 - 9 } as unknown as Uint8Array // 1 + 8 + length = 2^31: one byte too many
    expect(() => encodeDeletionVectorFile([huge])).toThrow(
      expect.objectContaining({ code: 'InvalidArgument', context: { size: 2 ** 31 }, message: `deletion vector file too large: expected at most ${2 ** 31 - 1} bytes, found ${2 ** 31}` }),
    )
  })

  it('refuses an empty list of bitmaps', () => {
    expect(() => encodeDeletionVectorFile([])).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: expect.stringContaining('expected at least one bitmap') }))
  })
})

describe('new descriptors', () => {
  it('inlines a bitmap as Z85 with its unpadded size, read back by readDeletionVector', async () => {
    const encoded = encodeDeletionVectorBitmap([3, 4, 9])
    const dv = inlineDeletionVector(encoded)
    expect(dv).toMatchObject({ storageType: 'i', sizeInBytes: encoded.bitmap.length, cardinality: 3 })
    expect(dv.offset).toBeUndefined()
    expect(dv.pathOrInlineDv).toHaveLength(Math.ceil(encoded.bitmap.length / 4) * 5)
    expect(await rowsOf(new MemoryStore(), dv)).toEqual([3, 4, 9])
  })

  it.each([
    ['', `deletion_vector_${UUID}.bin`],
    ['ab9', `ab9/deletion_vector_${UUID}.bin`],
  ])('names the file of prefix %j: %s', (prefix, file) => {
    const name = deletionVectorFileName(UUID, prefix)
    expect(name.path).toBe(file)
    expect(name.id).toHaveLength(prefix.length + 20)
    expect(name.id.startsWith(prefix)).toBe(true)
    expect(deletionVectorRelativePath(name.id)).toBe(file)
  })

  it('reproduces the id and file of PROTOCOL.md "JSON Example 1" (uuid d2c639aa-…, random prefix ab)', () => {
    expect(deletionVectorFileName('d2c639aa-8816-431a-aaf6-d3fe2512ff61', 'ab')).toEqual({
      id: 'ab^-aqEH.-t@S}K{vb[*k^',
      path: 'ab/deletion_vector_d2c639aa-8816-431a-aaf6-d3fe2512ff61.bin',
    })
  })

  it('accepts every hex digit and letter range in every uuid group and prefix', () => {
    expect([...parseUuid('09af09af-09af-09af-09af-09af09af09af')]).toEqual(Array.from({ length: 8 }, () => [0x09, 0xaf]).flat())
    expect(deletionVectorFileName(UUID, '09azAZ').path).toBe(`09azAZ/deletion_vector_${UUID}.bin`)
  })

  it('parses a uuid to its 16 bytes', () => {
    expect([...parseUuid(UUID)]).toEqual([0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0])
  })

  it.each([
    ['not-a-uuid'],
    [UUID.toUpperCase()],
    [`${UUID}0`],
    [`0${UUID}`],
    [UUID.replaceAll('-', '')],
    ['0f1e2d3-4b5a-6978-8796-a5b4c3d2e1f0'],
    ['0f1e2d3c0-4b5a-6978-8796-a5b4c3d2e1f0'],
    ['0f1e2d3c-4b5a0-6978-8796-a5b4c3d2e1f0'],
    ['0f1e2d3c-4b5a-69780-8796-a5b4c3d2e1f0'],
    ['0f1e2d3c-4b5a-6978-87960-a5b4c3d2e1f0'],
    ['0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f'],
    ['0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1fg'],
    ['0f1e2d3c_4b5a-6978-8796-a5b4c3d2e1f0'],
  ])('rejects the uuid %s', (uuid) => {
    expect(() => deletionVectorFileName(uuid)).toThrow(
      expect.objectContaining({ code: 'InvalidArgument', context: { uuid }, message: `invalid deletion vector uuid: expected 8-4-4-4-12 lower-case hex digits, found '${uuid}'` }),
    )
  })

  it.each([['a/b'], ['..'], ['x y'], ['é'], ['ab/'], ['/ab']])('rejects the prefix %j', (prefix) => {
    expect(() => deletionVectorFileName(UUID, prefix)).toThrow(
      expect.objectContaining({ code: 'InvalidArgument', context: { prefix }, message: `invalid deletion vector prefix: expected letters and digits only, found '${prefix}'` }),
    )
  })
})

describe('writeDeletionVectors', () => {
  it('writes one file for all DVs and returns their descriptors in order', async () => {
    const store = new MemoryStore()
    const sets = [[1, 2, 3], [10, 65536 * 2 + 1], [0]]
    const written = await writeDeletionVectors(createEngine(store), sets, { uuid: UUID, prefix: 'q7' })
    expect(written.path).toBe(`q7/deletion_vector_${UUID}.bin`)
    expect(written.descriptors.map((d) => [d.storageType, d.pathOrInlineDv, d.cardinality])).toEqual(sets.map((s) => ['u', deletionVectorFileName(UUID, 'q7').id, s.length]))
    for (const [i, dv] of written.descriptors.entries()) expect(await rowsOf(store, dv)).toEqual(sets[i])
  })

  it('keeps bitmaps up to inlineMaxBytes in the descriptor and writes the rest', async () => {
    const store = new MemoryStore()
    const small = encodeDeletionVectorBitmap([4]).bitmap.length
    const written = await writeDeletionVectors(createEngine(store), [[4], [...Array(100).keys()].map((i) => i * 7)], { uuid: UUID, inlineMaxBytes: small })
    expect(written.descriptors.map((d) => d.storageType)).toEqual(['i', 'u'])
    expect(written.descriptors[1]?.offset).toBe(1)
    expect(await rowsOf(store, written.descriptors[0] as DeletionVectorDescriptor)).toEqual([4])
    expect(await rowsOf(store, written.descriptors[1] as DeletionVectorDescriptor)).toHaveLength(100)
  })

  it('writes no file when every DV is inline', async () => {
    const store = new MemoryStore()
    const written = await writeDeletionVectors(createEngine(store), [[1], [2]], { inlineMaxBytes: 1000 })
    expect(written.path).toBeUndefined()
    expect(written.descriptors.map((d) => d.storageType)).toEqual(['i', 'i'])
    const keys: string[] = []
    for await (const meta of store.list('')) keys.push(meta.path)
    expect(keys).toEqual([])
  })

  it('writes nothing when a row set is empty or invalid', async () => {
    const store = new MemoryStore()
    await expect(writeDeletionVectors(createEngine(store), [[1], []], { uuid: UUID })).rejects.toMatchObject({
      code: 'InvalidArgument',
      context: { index: 1 },
      message: 'invalid deletion vector 1: expected at least one row index, found none',
    })
    await expect(writeDeletionVectors(createEngine(store), [[1], [-2]], { uuid: UUID })).rejects.toMatchObject({ code: 'InvalidArgument', context: { position: 0 } })
    await expect(store.head(`deletion_vector_${UUID}.bin`)).rejects.toMatchObject({ code: 'NotFound' })
  })

  it('names the file with a fresh random uuid by default', async () => {
    const store = new MemoryStore()
    const first = await writeDeletionVectors(createEngine(store), [[1]])
    const second = await writeDeletionVectors(createEngine(store), [[1]])
    expect(first.path).toMatch(/^deletion_vector_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}\.bin$/)
    expect(second.path).not.toBe(first.path)
    expect(await rowsOf(store, first.descriptors[0] as DeletionVectorDescriptor)).toEqual([1])
  })

  it('passes the abort signal to the store and writes nothing when aborted', async () => {
    const store = new MemoryStore()
    const controller = new AbortController()
    controller.abort()
    await expect(writeDeletionVectors(createEngine(store), [[1]], { uuid: UUID, signal: controller.signal })).rejects.toMatchObject({ code: 'Aborted' })
    await expect(store.head(`deletion_vector_${UUID}.bin`)).rejects.toMatchObject({ code: 'NotFound' })
  })

  it('never replaces an existing DV file', async () => {
    const store = new MemoryStore()
    const key = `deletion_vector_${UUID}.bin`
    await store.put(key, new Uint8Array([9]))
    await expect(writeDeletionVectors(createEngine(store), [[1]], { uuid: UUID })).rejects.toMatchObject({ code: 'AlreadyExists' })
    expect([...(await store.get(key))]).toEqual([9])
  })
})

/** Every distinct file-stored DV descriptor a golden table's JSON commits name, grouped by DV file id. */
function goldenDvFiles(table: string): Map<string, DeletionVectorDescriptor[]> {
  const byId = new Map<string, DeletionVectorDescriptor[]>()
  for (const { action } of readGoldenActions(table)) {
    const file = (action['add'] ?? action['remove']) as { deletionVector?: DeletionVectorDescriptor } | undefined
    const dv = file?.deletionVector
    if (dv?.storageType !== 'u') continue
    const list = byId.get(dv.pathOrInlineDv) ?? []
    if (!list.some((d) => d.offset === dv.offset)) list.push(dv)
    byId.set(dv.pathOrInlineDv, list.sort((x, y) => (x.offset ?? 0) - (y.offset ?? 0)))
  }
  return byId
}

describe('golden deletion vectors, re-encoded', () => {
  it.each(['dv-partitioned-with-checkpoint', 'dv-with-columnmapping', 'log-replay-dv-key-cases', 'krs-compacted-log-files-table/compacted-log-files-table'])(
    'decoding then encoding every DV of %s gives Spark’s bitmaps, files and descriptors byte for byte',
    (table) => {
      const files = goldenDvFiles(table)
      let bitmaps = 0
      let wholeFiles = 0
      for (const [id, descriptors] of files) {
        const relative = deletionVectorRelativePath(id)
        const uuid = /^deletion_vector_(.{36})\.bin$/.exec(relative)?.[1] ?? ''
        expect(deletionVectorFileName(uuid).id).toBe(id)
        const stored = new Uint8Array(readFileSync(path.join(GOLDEN_DIR, table, relative)))
        const encoded = descriptors.map((dv) => {
          const at = (dv.offset ?? 0) + 4
          const original = stored.subarray(at, at + dv.sizeInBytes)
          const again = encodeDeletionVectorBitmap(decodeDeletionVectorBitmap(original))
          expect(again.bitmap).toEqual(original)
          return again
        })
        const file = encodeDeletionVectorFile(encoded.map((e) => e.bitmap))
        // JSON commits may name only the first DVs of a file (later ones live in checkpoints): compare the prefix.
        expect(file.bytes).toEqual(stored.subarray(0, file.bytes.length))
        if (file.bytes.length === stored.length) wholeFiles++
        expect(file.entries.map((entry, i) => storedDeletionVector(id, entry, encoded[i]?.cardinality ?? -1))).toEqual(descriptors)
        bitmaps += descriptors.length
      }
      expect(bitmaps).toBeGreaterThan(0)
      expect(wholeFiles).toBeGreaterThan(0)
    },
  )
})
