// Decoder of Delta's deletion vector bitmap: a magic number, then a RoaringBitmapArray in the
// "portable" 64-bit format (PROTOCOL.md#Deletion Vector Format). Pure; no I/O.

import { DeletionVectorError } from './deletion-vector-error.js'

/** Magic number (little-endian) of Delta's portable RoaringBitmapArray serialization. */
export const DV_PORTABLE_MAGIC = 1681511377
const SERIAL_COOKIE_NO_RUNCONTAINER = 12346
const SERIAL_COOKIE = 12347
const NO_OFFSET_THRESHOLD = 4 // run-flagged bitmaps below this many containers omit the offset header
const ARRAY_CONTAINER_MAX = 4096 // larger containers are 65536-bit bitmaps
const BITMAP_CONTAINER_BYTES = 8192

class Reader {
  #view: DataView
  pos: number
  constructor(bytes: Uint8Array, pos: number) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    this.pos = pos
  }
  need(n: number, what: string): void {
    if (this.pos + n > this.#view.byteLength) {
      throw new DeletionVectorError(
        `truncated deletion vector bitmap: expected ${n} more bytes for ${what} at byte ${this.pos}, found ${this.#view.byteLength - this.pos}`,
      )
    }
  }
  u16(): number {
    this.need(2, 'a 16-bit value')
    const v = this.#view.getUint16(this.pos, true)
    this.pos += 2
    return v
  }
  u32(): number {
    this.need(4, 'a 32-bit value')
    const v = this.#view.getUint32(this.pos, true)
    this.pos += 4
    return v
  }
  u64(): number {
    this.need(8, 'a 64-bit value')
    const v = this.#view.getBigUint64(this.pos, true)
    this.pos += 8
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new DeletionVectorError(`deletion vector bucket count too large: ${v}`)
    return Number(v)
  }
  byte(at: number): number {
    return this.#view.getUint8(at)
  }
}

interface ContainerHeader {
  readonly key: number
  readonly cardinality: number
  readonly isRun: boolean
}

function readHeaders(r: Reader): ContainerHeader[] {
  const cookie = r.u32()
  const hasRun = (cookie & 0xffff) === SERIAL_COOKIE
  if (!hasRun && cookie !== SERIAL_COOKIE_NO_RUNCONTAINER) {
    throw new DeletionVectorError(`invalid roaring bitmap: expected cookie 12346 or 12347, found ${cookie & 0xffff}`)
  }
  const size = hasRun ? (cookie >>> 16) + 1 : r.u32()
  const runFlagsAt = r.pos
  if (hasRun) {
    r.need(Math.ceil(size / 8), 'run flags')
    r.pos += Math.ceil(size / 8)
  }
  const headers: ContainerHeader[] = []
  for (let i = 0; i < size; i++) {
    const key = r.u16()
    const cardinality = r.u16() + 1
    const isRun = hasRun && (r.byte(runFlagsAt + (i >>> 3)) & (1 << (i & 7))) !== 0
    headers.push({ key, cardinality, isRun })
  }
  if (!hasRun || size >= NO_OFFSET_THRESHOLD) {
    r.need(4 * size, 'the offset header')
    r.pos += 4 * size
  }
  return headers
}

function readContainer(r: Reader, h: ContainerHeader, base: number, out: number[]): void {
  const high = base + h.key * 0x10000
  if (h.isRun) {
    const runs = r.u16()
    for (let i = 0; i < runs; i++) {
      const start = r.u16()
      const length = r.u16()
      for (let v = start; v <= start + length; v++) out.push(high + v)
    }
  } else if (h.cardinality <= ARRAY_CONTAINER_MAX) {
    for (let i = 0; i < h.cardinality; i++) out.push(high + r.u16())
  } else {
    r.need(BITMAP_CONTAINER_BYTES, 'a bitmap container')
    for (let byteIndex = 0; byteIndex < BITMAP_CONTAINER_BYTES; byteIndex++) {
      const b = r.byte(r.pos + byteIndex)
      for (let bit = 0; b !== 0 && bit < 8; bit++) if ((b & (1 << bit)) !== 0) out.push(high + byteIndex * 8 + bit)
    }
    r.pos += BITMAP_CONTAINER_BYTES
  }
}

/** Reads one standard 32-bit portable roaring bitmap at `r.pos`, adding `base` to each value. */
function readRoaring32(r: Reader, base: number, out: number[]): void {
  for (const h of readHeaders(r)) readContainer(r, h, base, out)
}

/**
 * Decodes a deletion vector bitmap blob (magic + portable RoaringBitmapArray) into the deleted row
 * indexes, sorted ascending and distinct.
 * @throws DeletionVectorError (`CorruptLog`) on a wrong magic, truncation or a malformed bitmap.
 */
export function decodeDeletionVectorBitmap(bytes: Uint8Array): Float64Array {
  const r = new Reader(bytes, 0)
  const magic = r.u32()
  if (magic !== DV_PORTABLE_MAGIC) {
    throw new DeletionVectorError(`invalid deletion vector bitmap: expected magic ${DV_PORTABLE_MAGIC}, found ${magic}`)
  }
  const buckets = r.u64()
  const out: number[] = []
  let previousKey = -1
  for (let i = 0; i < buckets; i++) {
    const key = r.u32()
    if (key <= previousKey) throw new DeletionVectorError(`invalid deletion vector bitmap: bucket keys not ascending (${key} after ${previousKey})`)
    if (key >= 2 ** 21) throw new DeletionVectorError(`deletion vector row index beyond 2^53: bucket ${key}`)
    previousKey = key
    readRoaring32(r, key * 2 ** 32, out)
  }
  // Containers are stored by ascending key, so `out` is sorted already; sort anyway, it is cheap insurance.
  return Float64Array.from(out).sort()
}
