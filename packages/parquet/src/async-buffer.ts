// AsyncBuffer helpers: an in-memory buffer as an AsyncBuffer, and a wrapper that honours an AbortSignal.

import { LakeError } from '@lake/storage'
import type { AsyncBuffer } from './types.js'

/** An `AsyncBuffer` over bytes in memory; each slice is a copy, so callers may keep it. */
export function asyncBufferFromBytes(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.byteLength,
    slice(start: number, end?: number): ArrayBuffer {
      // Uint8Array's slice copies; Buffer#slice would return a view into a shared pool.
      return Uint8Array.prototype.slice.call(bytes, start, end).buffer
    },
  }
}

/** Throws an `Aborted` LakeError when `signal` is aborted. */
export function checkAborted(signal: AbortSignal | undefined, method: string): void {
  if (signal?.aborted) throw new LakeError('Aborted', `${method} was aborted`, { context: { method }, cause: signal.reason })
}

/** `file` with every slice refused once `signal` is aborted (hyparquet takes no signal itself). */
export function withSignal(file: AsyncBuffer, signal: AbortSignal | undefined, method: string): AsyncBuffer {
  if (signal === undefined) return file
  return {
    byteLength: file.byteLength,
    slice(start: number, end?: number) {
      checkAborted(signal, method)
      return file.slice(start, end)
    },
  }
}
