// The Encoder seam's interface, in its own module so the encoders implementing it (inline, worker
// pool) and the pipeline import it without importing the factory that picks one.

import type { EncodedDataFile } from '@lake/core/internal'
import type { EncodeTask } from './encode-chunk.js'
import type { LinesTask } from '../lines/encode-lines.js'
import type { CsvTask } from '../csv/encode-csv.js'

/** Encodes chunks; `concurrency` chunks may run at once. */
export interface Encoder {
  /** How many chunks encode in parallel (worker threads; 1 for inline). */
  readonly concurrency: number
  /**
   * Encodes one chunk (coercing it first when the task asks). Never does I/O. Rejects with the
   * coercion or encoding error (`SchemaError`, a codec `LakeError`), or when `signal` fires.
   */
  encode(task: EncodeTask, signal?: AbortSignal): Promise<EncodedDataFile[]>
  /**
   * Parses a chunk of NDJSON lines (`encodeLines`) or CSV records (`encodeCsv`), coerces and encodes
   * its records; the chunk's bytes are moved to the worker (detached here). An encoder that hands the
   * bytes' ArrayBuffer back (a worker pool, once the chunk is encoded) passes it to `reuse`, before it
   * resolves; nothing else holds it then. Rejects like `encode`, or with the first line that is not a
   * record (`linesFilesOf`).
   */
  encodeLines(task: LinesTask | CsvTask, signal?: AbortSignal, reuse?: (buffer: ArrayBuffer) => void): Promise<EncodedDataFile[]>
  /** Stops the workers. Idempotent. */
  close(): Promise<void>
}
