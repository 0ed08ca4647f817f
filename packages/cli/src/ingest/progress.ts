// A one-line progress display on stderr, drawn only when stderr is a terminal: rows, batches,
// files and rate, redrawn in place with '\r'.

import type { Writable } from 'node:stream'

/** Counts to show. */
export interface ProgressCounts {
  readonly rows: number
  readonly batches: number
  readonly files: number
}

/** Redraws a status line on a terminal; does nothing otherwise. */
export class Progress {
  readonly #stream: Writable
  readonly #enabled: boolean
  readonly #started: number
  readonly #now: () => number
  #drawn = false

  constructor(stream: Writable, enabled: boolean, now: () => number) {
    this.#stream = stream
    this.#enabled = enabled
    this.#now = now
    this.#started = now()
  }

  /** Redraws the line with the latest counts. */
  update(counts: ProgressCounts): void {
    if (!this.#enabled) return
    const seconds = Math.max(0.001, (this.#now() - this.#started) / 1000)
    const rate = Math.round(counts.rows / seconds)
    const spin = '|/-\\'[counts.batches % 4] ?? '|'
    this.#stream.write(`\r\u001b[2K${spin} ${counts.rows} rows  ${counts.batches} batches  ${counts.files} files  ${rate} rows/s`)
    this.#drawn = true
  }

  /** Ends the line so later output starts on a fresh one. */
  done(): void {
    if (this.#drawn) this.#stream.write('\n')
    this.#drawn = false
  }
}
