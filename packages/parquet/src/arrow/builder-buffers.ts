// The growable buffers of the column builders (column-builders.ts): typed arrays grown by copying, and
// validity bitmaps that exist only once a column holds a null. Both can be emptied for the next batch
// while keeping their memory (`Validity.reset`), so a reused builder touches no fresh pages.

export type NumericArray = BigInt64Array | Int32Array | Int16Array | Int8Array | Float64Array | Float32Array

/** A copy of `array` with room for `length` elements, the new ones set to `fill`. */
export function grow<T extends Uint8Array | Int32Array | NumericArray>(array: T, length: number, fill = 0): T {
  const next = new (array.constructor as new (n: number) => T)(length)
  ;(next as Uint8Array).set(array as Uint8Array)
  if (fill !== 0) (next as Uint8Array).fill(fill, array.length)
  return next
}

/** Validity bits, one per row, grown with the column; none when every row so far is valid. */
export class Validity {
  #bits: Uint8Array | null = null
  /** The bits of an earlier batch, kept by `reset(true)` for the next null. */
  #spare: Uint8Array | null = null
  #nulls = 0

  get nulls(): number {
    return this.#nulls
  }

  mark(row: number, valid: boolean, capacity: number): void {
    if (valid && this.#bits === null) return
    if (this.#bits === null) this.#bits = this.#fresh(Math.ceil(capacity / 8))
    if (this.#bits.length * 8 < capacity) this.#bits = grow(this.#bits, Math.ceil(capacity / 8), 0xff)
    if (valid) return
    this.#nulls++
    this.#bits[row >> 3] = (this.#bits[row >> 3] as number) & ~(1 << (row & 7))
  }

  /** All-valid bits for `bytes` bytes: the spare ones when large enough, else new memory. */
  #fresh(bytes: number): Uint8Array {
    const spare = this.#spare
    this.#spare = null
    return spare !== null && spare.length >= bytes ? spare.fill(0xff) : new Uint8Array(bytes).fill(0xff)
  }

  finish(length: number): Uint8Array | undefined {
    return this.#bits === null ? undefined : this.#bits.subarray(0, Math.ceil(length / 8))
  }

  /** Empties the bitmap for a new batch: its memory is kept for the next null when `keep`, else dropped. */
  reset(keep: boolean): void {
    this.#spare = keep ? (this.#bits ?? this.#spare) : null
    this.#bits = null
    this.#nulls = 0
  }
}
