// An open-addressing hash table from safe-integer numbers to source row indexes (the columnar MERGE's
// hash of a single integral key): two typed arrays, no per-entry objects. The first row of a key is
// kept in the table; later rows of the same key are listed apart (`repeated`), as Spark must then
// report the key if a target row matches it.

const EMPTY = -1

function mix(n: number): number {
  const low = n >>> 0
  // Stryker disable next-line ArithmeticOperator: another mix of the high bits spreads keys differently; probing finds them all the same
  const high = (n / 4294967296) | 0
  const h = Math.imul(low ^ Math.imul(high, 0x85ebca6b), 0x9e3779b1)
  return h ^ (h >>> 15)
}

/** Safe integers → the first source row holding each, plus every row of keys held more than once. */
export class NumberTable {
  readonly #keys: Float64Array
  readonly #rows: Int32Array
  readonly #mask: number
  readonly repeated = new Map<number, number[]>()
  #size = 0

  /** A table for up to `capacity` keys. */
  constructor(capacity: number) {
    let slots = 16
    // Stryker disable next-line EqualityOperator: at most twice the slots (still a power of two), the same keys found
    while (slots < capacity * 2) slots *= 2
    this.#keys = new Float64Array(slots)
    this.#rows = new Int32Array(slots).fill(EMPTY)
    this.#mask = slots - 1
  }

  /** Distinct keys held. */
  get size(): number {
    return this.#size
  }

  #slot(key: number): number {
    let at = mix(key) & this.#mask
    // Stryker disable next-line ArithmeticOperator: probing downwards visits every slot as well
    while (this.#rows[at] !== EMPTY && this.#keys[at] !== key) at = (at + 1) & this.#mask
    return at
  }

  /** Adds source row `row` under `key` (a safe integer). */
  add(key: number, row: number): void {
    const at = this.#slot(key)
    const first = this.#rows[at] as number
    if (first === EMPTY) {
      this.#keys[at] = key
      this.#rows[at] = row
      this.#size++
      return
    }
    const all = this.repeated.get(key)
    if (all === undefined) this.repeated.set(key, [first, row])
    else all.push(row)
  }

  /** The first source row of `key`, or -1. */
  first(key: number): number {
    return this.#rows[this.#slot(key)] as number
  }
}
