// Encoder of a deletion vector file (PROTOCOL.md#Deletion Vector Format): a format version byte, then
// per DV its 4-byte big-endian size, the bitmap, and the 4-byte big-endian CRC-32 of the bitmap. Pure.

import { crc32 } from 'node:zlib'
import { DeletionVectorError } from './deletion-vector-error.js'

/** The format version byte that starts every deletion vector file. */
export const DV_FILE_FORMAT_VERSION = 1
const FRAME_BYTES = 8 // a 4-byte size before and a 4-byte CRC-32 after each bitmap
const MAX_INT32 = 2 ** 31 - 1 // offsets and sizes are Java ints in Delta's descriptors

/** Where one bitmap sits in a DV file: the descriptor's `offset` (of its size field) and `sizeInBytes`. */
export interface DeletionVectorFileEntry {
  readonly offset: number
  readonly sizeInBytes: number
}

/** A DV file's bytes and, per input bitmap in order, where it is. */
export interface EncodedDeletionVectorFile {
  readonly bytes: Uint8Array
  readonly entries: readonly DeletionVectorFileEntry[]
}

/**
 * Frames bitmaps (from `encodeDeletionVectorBitmap`) into one DV file. The first entry is at offset 1.
 * @throws DeletionVectorError (`InvalidArgument`) when there is no bitmap, or when the file would
 * outgrow the 2^31 - 1 bytes a descriptor's offset and size can address.
 */
export function encodeDeletionVectorFile(bitmaps: readonly Uint8Array[]): EncodedDeletionVectorFile {
  if (bitmaps.length === 0) {
    throw new DeletionVectorError('invalid deletion vector file: expected at least one bitmap, found none', { code: 'InvalidArgument' })
  }
  const size = bitmaps.reduce((sum, b) => sum + FRAME_BYTES + b.length, 1)
  // Stryker disable next-line EqualityOperator: telling > from >= needs a 2 GiB file in memory
  if (size > MAX_INT32) {
    throw new DeletionVectorError(`deletion vector file too large: expected at most ${MAX_INT32} bytes, found ${size}`, {
      code: 'InvalidArgument',
      context: { size },
    })
  }
  const bytes = new Uint8Array(size)
  const view = new DataView(bytes.buffer)
  view.setUint8(0, DV_FILE_FORMAT_VERSION)
  const entries: DeletionVectorFileEntry[] = []
  let offset = 1
  for (const bitmap of bitmaps) {
    entries.push({ offset, sizeInBytes: bitmap.length })
    view.setUint32(offset, bitmap.length)
    bytes.set(bitmap, offset + 4)
    view.setUint32(offset + 4 + bitmap.length, crc32(bitmap))
    offset += FRAME_BYTES + bitmap.length
  }
  return { bytes, entries }
}
