// Byte inputs of the text sources: a local file path, or a factory that opens a byte stream at
// a byte offset (so a planned range can be re-read after a restart).

import { createReadStream } from 'node:fs'
import { resolve } from 'node:path'

/** Opens the input's bytes from `fromByte` (inclusive) to `toByte` (exclusive; `undefined` = to the end). */
export type OpenBytes = (fromByte: number, toByte: number | undefined) => AsyncIterable<Uint8Array>

/** A text input: a file, or a replayable stream with a stable id for the fingerprint. */
export type ByteInput =
  | { readonly path: string }
  | { readonly open: OpenBytes; readonly id: string }

/** The opener and the fingerprint identity of an input. */
export function resolveByteInput(input: ByteInput): { readonly open: OpenBytes; readonly identity: string } {
  if ('path' in input) {
    const path = resolve(input.path)
    return {
      identity: `file:${path}`,
      open: (fromByte, toByte) => {
        if (toByte !== undefined && toByte <= fromByte) return emptyBytes()
        return createReadStream(path, { start: fromByte, ...(toByte === undefined ? {} : { end: toByte - 1 }) })
      },
    }
  }
  return { identity: `stream:${input.id}`, open: input.open }
}

async function* emptyBytes(): AsyncGenerator<Uint8Array> {}
