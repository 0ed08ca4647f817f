// The zstd decompressor of reads: zstd-napi (native) into a buffer of the page header's size. Its
// output must equal the pure-JS decompressor's, own its whole ArrayBuffer (hyparquet views some pages'
// whole buffer), and a frame that holds more or less than the header says must fail, never allocate
// what the frame claims.
import { createRequire } from 'node:module'
import { compressors as jsDecompressors } from 'hyparquet-compressors'
import { decompressPage } from 'hyparquet/src/datapage.js'
import { describe, expect, it } from 'vitest'
import { readDecompressors } from '../src/compressors.js'
import { random as seededRandom } from './seeded-random.js'

const zstd = createRequire(import.meta.url)('zstd-napi') as typeof import('zstd-napi')
const native = readDecompressors.ZSTD as (input: Uint8Array, outputLength: number) => Uint8Array
const js = jsDecompressors.ZSTD as (input: Uint8Array, outputLength: number) => Uint8Array

/** Page-like bytes: runs of repeated and random bytes, so they compress some. */
function pageBytes(length: number, seed: number): Uint8Array {
  const random = seededRandom(seed)
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i++) bytes[i] = random() < 0.7 ? (i >> 4) & 0xff : Math.floor(random() * 256)
  return bytes
}

describe('readDecompressors.ZSTD', () => {
  it('decompresses pages of every size as the pure-JS decompressor does, each into an ArrayBuffer of its own', () => {
    for (const [i, length] of [1, 100, 4095, 4096, 70_000, 1_000_000].entries()) {
      const raw = pageBytes(length, i + 1)
      const frame = zstd.compress(raw)
      const out = native(frame, length)
      expect(Buffer.compare(out, js(frame, length))).toBe(0)
      expect(Buffer.compare(out, raw)).toBe(0)
      expect(out.byteOffset).toBe(0)
      expect(out.buffer.byteLength).toBe(length)
    }
  })

  it('refuses a frame holding more than the page header says, without allocating what it holds', () => {
    const frame = zstd.compress(new Uint8Array(50_000_000))
    expect(() => native(frame, 1000)).toThrow(/small|size/i)
  })

  it('hands back a frame holding less than the header says, which the page check then refuses', () => {
    const frame = zstd.compress(pageBytes(500, 7))
    expect(native(frame, 1000)).toHaveLength(500)
    expect(() => decompressPage(frame, 1000, 'ZSTD', readDecompressors)).toThrow(/decompressed page length 500 does not match header 1000/)
  })

  it('throws for bytes that are not a zstd frame', () => {
    const frame = zstd.compress(pageBytes(10_000, 9))
    const damaged = frame.slice()
    damaged.fill(0x55, 0, 8)
    expect(() => native(damaged, 10_000)).toThrow()
    expect(() => native(frame.subarray(0, frame.length - 20), 10_000)).toThrow()
  })
})
