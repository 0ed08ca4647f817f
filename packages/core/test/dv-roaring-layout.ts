// Test helper: parses the container layout of a DV bitmap blob (magic + portable RoaringBitmapArray)
// independently of src/, so tests can check the encoder's container kinds, cookies and offset headers.

export interface ContainerLayout {
  readonly key: number
  readonly cardinality: number
  readonly kind: 'array' | 'bitmap' | 'run'
  /** The offset the header stores (absent under the run cookie with fewer than 4 containers). */
  readonly storedOffset?: number
  /** Where the container really starts, from the start of its 32-bit bitmap. */
  readonly start: number
}

export interface BucketLayout {
  readonly key: number
  readonly cookie: 12346 | 12347
  readonly containers: readonly ContainerLayout[]
}

/** The buckets and containers of `bitmap`; throws a plain Error on anything unexpected. */
export function roaringLayout(bitmap: Uint8Array): BucketLayout[] {
  const view = new DataView(bitmap.buffer, bitmap.byteOffset, bitmap.byteLength)
  let pos = 4
  const buckets = Number(view.getBigUint64(pos, true))
  pos += 8
  const out: BucketLayout[] = []
  for (let b = 0; b < buckets; b++) {
    const key = view.getUint32(pos, true)
    pos += 4
    const [bucket, end] = parseBitmap32(view, pos, key)
    out.push(bucket)
    pos = end
  }
  if (pos !== bitmap.length) throw new Error(`trailing bytes: parsed ${pos} of ${bitmap.length}`)
  return out
}

function parseBitmap32(view: DataView, base: number, key: number): [BucketLayout, number] {
  let pos = base
  const word = view.getUint32(pos, true)
  pos += 4
  const cookie = word & 0xffff
  if (cookie !== 12346 && cookie !== 12347) throw new Error(`bad cookie ${cookie}`)
  const size = cookie === 12347 ? (word >>> 16) + 1 : view.getUint32(pos, true)
  if (cookie === 12346) pos += 4
  const flagsAt = pos
  if (cookie === 12347) pos += Math.ceil(size / 8)
  const headers: { key: number; cardinality: number; isRun: boolean }[] = []
  for (let i = 0; i < size; i++) {
    const isRun = cookie === 12347 && (view.getUint8(flagsAt + (i >>> 3)) & (1 << (i & 7))) !== 0
    headers.push({ key: view.getUint16(pos, true), cardinality: view.getUint16(pos + 2, true) + 1, isRun })
    pos += 4
  }
  const hasOffsets = cookie === 12346 || size >= 4
  const offsets = hasOffsets ? headers.map((_, i) => view.getUint32(pos + 4 * i, true)) : []
  if (hasOffsets) pos += 4 * size
  const containers = headers.map((h, i): ContainerLayout => {
    const start = pos - base
    const kind = h.isRun ? 'run' : h.cardinality <= 4096 ? 'array' : 'bitmap'
    pos += kind === 'run' ? 2 + 4 * view.getUint16(pos, true) : kind === 'array' ? 2 * h.cardinality : 8192
    const storedOffset = offsets[i]
    return { key: h.key, cardinality: h.cardinality, kind, start, ...(storedOffset === undefined ? {} : { storedOffset }) }
  })
  return [{ key, cookie, containers }, pos]
}
