// Buffers for NDJSON chunks, reused: the reader fills one straight from the input, the chunk's
// ArrayBuffer moves to an encoder worker, and the worker hands it back with its result. First
// touching fresh memory costs page faults, so a reused buffer is much cheaper than a new one.

/** A bounded free list of equal-sized ArrayBuffers. */
export class ChunkPool {
  /** The byte length of every pooled buffer. */
  readonly size: number
  readonly #max: number
  readonly #free: ArrayBuffer[] = []

  /** `size`: the length of each buffer; `max`: buffers kept free at most (more handed back are dropped). */
  constructor(size: number, max: number) {
    this.size = size
    this.#max = max
  }

  /** A free buffer (the last handed back), or a new one. Its old contents are not cleared. */
  take(): Uint8Array {
    return new Uint8Array(this.#free.pop() ?? new ArrayBuffer(this.size))
  }

  /**
   * Takes `buffer` back for a later `take`. Dropped when it is not of the pool's size (a chunk that
   * outgrew its buffer), detached (moved elsewhere), or the free list is full.
   */
  give(buffer: ArrayBuffer): void {
    if (buffer.byteLength !== this.size || this.#free.length >= this.#max || this.#free.includes(buffer)) return
    this.#free.push(buffer)
  }

  /** Buffers free now. */
  get free(): number {
    return this.#free.length
  }
}
