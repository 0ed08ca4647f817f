// An open-addressing hash table from safe-integer numbers to source row indexes (the columnar MERGE's
// hash of a single integral key): one typed array of row indexes over the rows' keys (no copy of the
// keys, no per-entry objects). The first row of a key is
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

  /** A table for the rows whose keys are `keys` (row i's key is `keys[i]`), added with `add(i)`. */
  constructor(keys: Float64Array) {
    let slots = 16
    // Stryker disable next-line EqualityOperator: at most twice the slots (still a power of two), the same keys found
    while (slots < keys.length * 2) slots *= 2
    this.#keys = keys
    this.#rows = new Int32Array(slots).fill(EMPTY)
    this.#mask = slots - 1
  }

  /** Distinct keys held. */
  get size(): number {
    return this.#size
  }

  #slot(key: number): number {
    let at = mix(key) & this.#mask
    let row = this.#rows[at] as number
    while (row !== EMPTY && this.#keys[row] !== key) {
      // Stryker disable next-line ArithmeticOperator: probing downwards visits every slot as well
      at = (at + 1) & this.#mask
      row = this.#rows[at] as number
    }
    return at
  }

  /** Adds source row `row` under its key (a safe integer). */
  add(row: number): void {
    const key = this.#keys[row] as number
    const at = this.#slot(key)
    const first = this.#rows[at] as number
    if (first === EMPTY) {
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
