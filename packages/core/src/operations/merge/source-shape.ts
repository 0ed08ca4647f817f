// The shape of a MERGE source's row objects, learnt while the source is read (source-hash.ts): when
// every row is a plain object whose keys are the same names in the same order, as ETL code builds
// rows, the later passes read the rows column by column by those names and skip their per-row key
// checks (source-schema.ts, source-transpose.ts). One `for...in` per row gives the shape and the
// row's estimated bytes together.

import { estimateBytes } from '../../files/estimate-bytes.js'
import { isPlainObject } from '../../rows/compile-coercer.js'

/** True while `Object.prototype` has no enumerable key, so `for...in` over a plain object lists its own keys only. */
function prototypeClean(): boolean {
  for (const _key in Object.prototype) return false
  return true
}

/** Follows the rows of a source: their estimated bytes, and the key names they all share, in order. */
export class ShapeTracker {
  #names: string[] | undefined
  #uniform = prototypeClean()

  /** Records `row`; returns its estimated in-memory bytes (`estimateBytes`). */
  add(row: unknown): number {
    if (!this.#uniform || !isPlainObject(row)) {
      this.#uniform = false
      return estimateBytes(row)
    }
    const names = this.#names
    if (names === undefined) {
      this.#names = Object.keys(row)
      return estimateBytes(row)
    }
    let bytes = 4
    let k = 0
    for (const key in row) {
      if (key !== names[k]) {
        this.#uniform = false
        return estimateBytes(row)
      }
      bytes += estimateBytes(row[key])
      k++
    }
    if (k !== names.length) this.#uniform = false
    return bytes
  }

  /**
   * The key names every row had, in order; undefined when the rows differ, one is not a plain object,
   * there were none, or `Object.prototype` has gained an enumerable key (its keys would show in every row).
   */
  shape(): readonly string[] | undefined {
    return this.#uniform && prototypeClean() ? this.#names : undefined
  }
}
