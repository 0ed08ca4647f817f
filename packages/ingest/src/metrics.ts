// Counters of an ingest run (rows, bytes, files, retries, rows/s), updated from the ingest path.
// Mutable inside the package; callers get frozen `IngestMetrics` snapshots.

import type { IngestMetrics } from './types.js'

/** Mutable counters; `snapshot()` returns the public, read-only view. */
export class MetricsCounter {
  batches = 0
  rows = 0
  bytes = 0
  files = 0
  retries = 0
  rejected = 0
  readonly #started: number

  constructor(now: number = performance.now()) {
    this.#started = now
  }

  /** The counters now, with elapsed time and rows per second. */
  snapshot(now: number = performance.now()): IngestMetrics {
    const elapsedMs = Math.max(0, now - this.#started)
    return {
      batches: this.batches,
      rows: this.rows,
      bytes: this.bytes,
      files: this.files,
      retries: this.retries,
      rejected: this.rejected,
      elapsedMs,
      rowsPerSecond: elapsedMs === 0 ? 0 : (this.rows * 1000) / elapsedMs,
    }
  }
}
