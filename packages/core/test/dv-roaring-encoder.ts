// Test helper: encodes row indexes as a Delta DV bitmap blob (magic + portable RoaringBitmapArray),
// choosing array, bitmap or run containers so the decoder sees every container kind.

export type ContainerKind = 'array' | 'bitmap' | 'run'

/** Encodes sorted distinct `rows` with the given container kind; `withRunCookie` forces cookie 12347. */
export function encodeDvBitmap(rows: readonly number[], kind: ContainerKind = 'array', withRunCookie = kind === 'run'): Uint8Array {
  const buckets = new Map<number, Map<number, number[]>>()
  for (const row of rows) {
    const high = Math.floor(row / 2 ** 32)
    const low = row % 2 ** 32
    const bucket = buckets.get(high) ?? new Map<number, number[]>()
    buckets.set(high, bucket)
    const key = low >>> 16
    bucket.set(key, [...(bucket.get(key) ?? []), low & 0xffff])
  }
  const parts: number[] = []
  const u8 = (v: number): void => void parts.push(v & 0xff)
  const u16 = (v: number): void => { u8(v); u8(v >>> 8) }
  const u32 = (v: number): void => { u16(v & 0xffff); u16(v >>> 16) }
  u32(1681511377)
  u32(buckets.size)
  u32(0)
  for (const [high, containers] of [...buckets].sort((a, b) => a[0] - b[0])) {
    u32(high)
    const entries = [...containers].sort((a, b) => a[0] - b[0])
    const size = entries.length
    if (withRunCookie) {
      u32(12347 | ((size - 1) << 16))
      for (let i = 0; i < Math.ceil(size / 8); i++) u8(kind === 'run' ? 0xff : 0)
    } else {
      u32(12346)
      u32(size)
    }
    for (const [key, values] of entries) { u16(key); u16(values.length - 1) }
    if (!withRunCookie || size >= 4) for (let i = 0; i < size; i++) u32(0) // offsets: unused by the reader
    for (const [, values] of entries) writeContainer(values, kind, u8, u16)
  }
  return Uint8Array.from(parts)
}

function writeContainer(values: number[], kind: ContainerKind, u8: (v: number) => void, u16: (v: number) => void): void {
  if (kind === 'run') {
    const runs: [number, number][] = []
    for (const v of values) {
      const last = runs[runs.length - 1]
      if (last !== undefined && last[0] + last[1] + 1 === v) last[1]++
      else runs.push([v, 0])
    }
    u16(runs.length)
    for (const [start, len] of runs) { u16(start); u16(len) }
  } else if (kind === 'bitmap') {
    if (values.length <= 4096) throw new Error('bitmap containers need more than 4096 values')
    const bits = new Uint8Array(8192)
    for (const v of values) bits[v >>> 3]! |= 1 << (v & 7)
    for (const b of bits) u8(b)
  } else {
    for (const v of values) u16(v)
  }
}
