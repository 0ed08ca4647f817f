// Encoder of Delta's deletion vector bitmap: the magic number, then a RoaringBitmapArray in the
// "portable" 64-bit format (PROTOCOL.md#Deletion Vector Format). Containers are chosen as Spark's
// RoaringBitmap does after `runOptimize()`, so Spark-written bitmaps re-encode to the same bytes. Pure.

import { DV_PORTABLE_MAGIC } from './roaring.js'
import { bucketRowIndexes } from './row-index-buckets.js'
import type { RowIndex, RowIndexBucket } from './row-index-buckets.js'

const SERIAL_COOKIE_NO_RUNCONTAINER = 12346
const SERIAL_COOKIE = 12347
const NO_OFFSET_THRESHOLD = 4 // run-flagged bitmaps below this many containers omit the offset header
const ARRAY_CONTAINER_MAX = 4096 // more values than this go to a 65536-bit bitmap container
const BITMAP_CONTAINER_BYTES = 8192 // 65536 bits

/** A deletion vector bitmap blob and the number of distinct row indexes it holds. */
export interface EncodedDeletionVector {
  /** Magic number + portable RoaringBitmapArray: the bytes a DV file frames, or inline Z85 encodes. */
  readonly bitmap: Uint8Array
  readonly cardinality: number
}

type ContainerKind = 'array' | 'bitmap' | 'run'

interface Container {
  readonly key: number
  readonly values: Uint32Array // low 16 bits of the row indexes (the high 16 are `key`), ascending
  readonly kind: ContainerKind
  readonly runs: number
  readonly bytes: number
}

function countRuns(values: Uint32Array): number {
  let runs = 0
  for (let i = 0; i < values.length; i++) if (i === 0 || values[i] !== (values[i - 1] ?? 0) + 1) runs++
  return runs
}

/** RoaringBitmap's choice: array up to 4096 values, else bitmap; then run if strictly smaller. */
function planContainer(key: number, values: Uint32Array): Container {
  const runs = countRuns(values)
  const runBytes = 2 + 4 * runs
  const isArray = values.length <= ARRAY_CONTAINER_MAX
  const plainBytes = isArray ? 2 * values.length : BITMAP_CONTAINER_BYTES
  if (runBytes < plainBytes) return { key, values, kind: 'run', runs, bytes: runBytes }
  return { key, values, kind: isArray ? 'array' : 'bitmap', runs, bytes: plainBytes }
}

/** The containers of one 32-bit bitmap: the low words split by their high 16 bits. */
function planContainers(lows: Uint32Array): Container[] {
  const containers: Container[] = []
  let start = 0
  while (start < lows.length) {
    const key = (lows[start] as number) >>> 16
    const end = keyEnd(lows, start, key)
    // Key 0 holds its low 16 bits as they are: a view, not a copy.
    // Stryker disable next-line ConditionalExpression: a view for any key is then masked in place by the loop below, to the same values
    const values = key === 0 ? lows.subarray(start, end) : new Uint32Array(end - start)
    // Stryker disable next-line ConditionalExpression,EqualityOperator: masking key 0's values leaves them as they are; a write past the copy's end is dropped
    if (key !== 0) for (let i = start; i < end; i++) values[i - start] = (lows[i] as number) & 0xffff
    containers.push(planContainer(key, values))
    start = end
  }
  return containers
}

/** The end of the run of `lows` (ascending) from `start` whose high 16 bits are `key`: a binary search. */
function keyEnd(lows: Uint32Array, start: number, key: number): number {
  // Stryker disable next-line ArithmeticOperator: lows[start] has the key, so high never comes down to start and the search never looks below it
  let [low, high] = [start + 1, lows.length]
  while (low < high) {
    const mid = (low + high) >>> 1
    if ((lows[mid] as number) >>> 16 === key) low = mid + 1
    else high = mid
  }
  return low
}

/** The header bytes of a 32-bit bitmap: cookie (+ size), run flags, key/cardinality pairs, offsets. */
function headerBytes(containers: readonly Container[]): number {
  const n = containers.length
  if (!containers.some((c) => c.kind === 'run')) return 8 + 8 * n
  return 4 + Math.ceil(n / 8) + 4 * n + (n >= NO_OFFSET_THRESHOLD ? 4 * n : 0)
}

class ByteWriter {
  readonly #view: DataView
  pos = 0
  constructor(readonly bytes: Uint8Array) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  }
  u8(v: number): void {
    this.#view.setUint8(this.pos, v)
    this.pos += 1
  }
  u16(v: number): void {
    this.#view.setUint16(this.pos, v, true)
    this.pos += 2
  }
  u32(v: number): void {
    this.#view.setUint32(this.pos, v, true)
    this.pos += 4
  }
  u64(v: number): void {
    this.#view.setBigUint64(this.pos, BigInt(v), true)
    this.pos += 8
  }
}

function writeHeader(w: ByteWriter, containers: readonly Container[]): void {
  const n = containers.length
  const hasRun = containers.some((c) => c.kind === 'run')
  if (hasRun) {
    w.u32((SERIAL_COOKIE | ((n - 1) << 16)) >>> 0)
    const flags = new Uint8Array(Math.ceil(n / 8)) // bit i set when container i is a run container
    containers.forEach((c, i) => {
      if (c.kind === 'run') flags[i >>> 3] = (flags[i >>> 3] ?? 0) | (1 << (i & 7))
    })
    for (const byte of flags) w.u8(byte)
  } else {
    w.u32(SERIAL_COOKIE_NO_RUNCONTAINER)
    w.u32(n)
  }
  for (const c of containers) {
    w.u16(c.key)
    w.u16(c.values.length - 1)
  }
  if (hasRun && n < NO_OFFSET_THRESHOLD) return
  let offset = headerBytes(containers) // offsets count from the start of this 32-bit bitmap
  for (const c of containers) {
    w.u32(offset)
    offset += c.bytes
  }
}

function writeContainer(w: ByteWriter, c: Container): void {
  const values = c.values
  if (c.kind === 'array') {
    for (let i = 0; i < values.length; i++) w.u16(values[i] as number)
  } else if (c.kind === 'bitmap') {
    for (let i = 0; i < values.length; i++) {
      const v = values[i] as number
      const at = w.pos + (v >>> 3)
      w.bytes[at] = (w.bytes[at] ?? 0) | (1 << (v & 7))
    }
    w.pos += BITMAP_CONTAINER_BYTES
  } else {
    w.u16(c.runs)
    let start = 0
    for (let i = 1; i <= c.values.length; i++) {
      if (c.values[i] === (c.values[i - 1] ?? 0) + 1) continue // values[length] is undefined: the last run ends there
      w.u16(c.values[start] ?? 0)
      w.u16(i - 1 - start) // the run's length minus one
      start = i
    }
  }
}

function bitmapBytes(containers: readonly Container[]): number {
  return containers.reduce((sum, c) => sum + c.bytes, headerBytes(containers))
}

/**
 * Encodes row indexes as a deletion vector bitmap: magic, the number of non-empty 32-bit buckets
 * (64-bit), then per bucket its key and a portable 32-bit RoaringBitmap. Duplicates count once.
 * Spark also writes empty buckets below the highest key; readers accept both, and for row
 * indexes under 2^32 (every real file) the bytes are the same as Spark's.
 * @throws DeletionVectorError (`InvalidArgument`) on a row index that is not a non-negative integer
 * up to `MAX_DV_ROW_INDEX` (see `bucketRowIndexes`).
 */
export function encodeDeletionVectorBitmap(rows: Iterable<RowIndex>): EncodedDeletionVector {
  const buckets: readonly RowIndexBucket[] = bucketRowIndexes(rows)
  const planned = buckets.map((b) => ({ key: b.key, containers: planContainers(b.lows) }))
  const size = planned.reduce((sum, b) => sum + 4 + bitmapBytes(b.containers), 4 + 8)
  const w = new ByteWriter(new Uint8Array(size))
  w.u32(DV_PORTABLE_MAGIC)
  w.u64(planned.length)
  for (const { key, containers } of planned) {
    w.u32(key)
    writeHeader(w, containers)
    for (const c of containers) writeContainer(w, c)
  }
  const cardinality = buckets.reduce((sum, b) => sum + b.lows.length, 0)
  return { bitmap: w.bytes, cardinality }
}
