// An Arrow table -> one Parquet file on the calling thread. Flat tables go to the plain writer
// (plain-writer/: JS, no wasm); others have their IPC stream copied into a scratch buffer kept between
// writes (fresh memory is expensive to touch, see ipc-stream.ts) and handed to parquet-wasm. The
// scratch buffer is dropped after a moment without writes.

import type * as arrow from 'apache-arrow'
import { plainColumns, writePlainParquet } from '../plain-writer/write-plain.js'
import { copyPieces, ipcPieces } from './ipc-stream.js'
import { writeIpcParquet } from './wasm-writer.js'
import type { WasmWriteOptions } from './wasm-writer.js'

/** How long an unused scratch buffer is kept (as the encoder pool's idle workers). */
const SCRATCH_IDLE_MS = 10_000

let scratch: Uint8Array | undefined
let release: NodeJS.Timeout | undefined

function scratchOf(byteLength: number): Uint8Array {
  clearTimeout(release)
  if (scratch === undefined || scratch.byteLength < byteLength) scratch = new Uint8Array(byteLength)
  return scratch
}

/** Drops the scratch buffer `SCRATCH_IDLE_MS` after the last write ended. */
function releaseLater(): void {
  clearTimeout(release)
  release = setTimeout(() => { scratch = undefined }, SCRATCH_IDLE_MS).unref()
}

/**
 * Encodes an Arrow table (canonical Delta types, see `deltaToArrowSchema`) as Parquet bytes with page CRCs.
 * @throws ParquetError wrapping a failure of the wasm writer.
 */
export function writeArrowParquet(table: arrow.Table, options: WasmWriteOptions): Uint8Array {
  if (plainColumns(table) !== undefined) return writePlainParquet(table, options)
  const ipc = ipcPieces(table)
  try {
    return writeIpcParquet(copyPieces(ipc, scratchOf(ipc.byteLength)), options)
  } finally {
    releaseLater()
  }
}
