// An Arrow table as IPC stream bytes, the form parquet-wasm reads. apache-arrow's `tableToIPC` joins
// the writer's pieces into a fresh buffer: on this machine first touching fresh memory costs about as
// much as encoding it (0.27 s CPU for the 75 MB of the 1M-row benchmark batch, 6 ms into memory already
// touched), so the pieces (message headers and views of the column buffers, nothing copied) are
// collected here and copied once, into a buffer the caller reuses.

import * as arrow from 'apache-arrow'

/** A stream writer that keeps its pieces instead of queueing them in its byte sink. */
class PieceWriter extends arrow.RecordBatchStreamWriter {
  readonly pieces: Uint8Array[] = []
  byteLength = 0

  protected override _write(chunk: ArrayBufferView): this {
    if (chunk.byteLength > 0) {
      this.pieces.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      this.byteLength += chunk.byteLength
      this._position += chunk.byteLength
    }
    return this
  }
}

/** The IPC stream of `table`, as pieces in order and their total length. */
export interface IpcPieces {
  readonly pieces: readonly Uint8Array[]
  readonly byteLength: number
}

/** The IPC stream pieces of `table` (views of its buffers where the layout allows). */
export function ipcPieces(table: arrow.Table): IpcPieces {
  const writer = new PieceWriter()
  writer.write(table)
  writer.finish()
  return { pieces: writer.pieces, byteLength: writer.byteLength }
}

/** Copies `ipc`'s pieces to the start of `target` (at least `ipc.byteLength` long); returns the filled view. */
export function copyPieces(ipc: IpcPieces, target: Uint8Array): Uint8Array {
  let offset = 0
  for (const piece of ipc.pieces) {
    target.set(piece, offset)
    offset += piece.byteLength
  }
  return target.subarray(0, offset)
}
