// The messages between the Arrow encode pool (encode-pool.ts) and its workers (encode-worker.ts).

import type { WasmWriteOptions } from '../wasm-writer.js'

/** A file to encode: the IPC stream is the first `byteLength` bytes of `ipc`, the worker's reused buffer. */
export interface EncodeJob {
  readonly id: number
  readonly ipc: SharedArrayBuffer
  readonly byteLength: number
  readonly options: WasmWriteOptions
}

/** The Parquet bytes of a job (their buffer transferred), or the message of its failure. */
export type EncodeReply =
  | { readonly id: number; readonly bytes: Uint8Array }
  | { readonly id: number; readonly error: string }
