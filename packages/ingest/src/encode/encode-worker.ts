// The piscina worker: encodes one chunk per task. Loaded by `WorkerPoolEncoder` from dist/ as
// `encode-worker.js`; must stay free of I/O and shared state.

import { encodeChunk } from './encode-chunk.js'
import type { EncodeResult, EncodeTask } from './encode-chunk.js'

/** Piscina calls the default export with each task. */
export default function encodeWorker(task: EncodeTask): EncodeResult {
  return encodeChunk(task)
}
