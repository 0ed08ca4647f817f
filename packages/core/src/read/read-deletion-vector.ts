// Reads a deletion vector's deleted row indexes: inline, or from a DV file through the ObjectStore
// (one ranged GET), checking the stored size, the CRC32 and the cardinality.

import { crc32 } from 'node:zlib'
import type { ObjectStore } from '@lake/storage'
import type { DeletionVectorDescriptor } from '../actions/types.js'
import { deletionVectorLocation, storeKeyOfAbsolutePath } from '../dv/descriptor.js'
import { DeletionVectorError } from '../dv/deletion-vector-error.js'
import { decodeDeletionVectorBitmap } from '../dv/roaring.js'

const SIZE_BYTES = 4 // big-endian bitmap length before each bitmap in a DV file
const CRC_BYTES = 4 // big-endian CRC32 of the bitmap after it

/** Options of `readDeletionVector`. */
export interface ReadDeletionVectorOptions {
  readonly signal?: AbortSignal
}

function checkFraming(bytes: Uint8Array, dv: DeletionVectorDescriptor, path: string): Uint8Array {
  const expectedLength = SIZE_BYTES + dv.sizeInBytes + CRC_BYTES
  if (bytes.length < expectedLength) {
    throw new DeletionVectorError(`truncated deletion vector in '${path}': expected ${expectedLength} bytes at offset ${dv.offset ?? 0}, found ${bytes.length}`, { context: { path } })
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const size = view.getUint32(0)
  if (size !== dv.sizeInBytes) {
    throw new DeletionVectorError(`deletion vector size mismatch in '${path}': expected ${dv.sizeInBytes} bytes, found ${size}`, { context: { path } })
  }
  const bitmap = bytes.subarray(SIZE_BYTES, SIZE_BYTES + size)
  const stored = view.getUint32(SIZE_BYTES + size)
  const actual = crc32(bitmap)
  if (stored !== actual) {
    throw new DeletionVectorError(`deletion vector checksum mismatch in '${path}': expected CRC32 ${stored}, found ${actual}`, { context: { path } })
  }
  return bitmap
}

/**
 * The sorted row indexes a deletion vector removes. File DVs are read with one ranged GET of
 * `4 + sizeInBytes + 4` bytes at `offset`; `p` paths must lie inside `store`.
 * @throws DeletionVectorError (`CorruptLog`) on a size, CRC32 or cardinality mismatch or a bad bitmap.
 * @throws StorageError from the store (`NotFound` when the DV file is missing).
 */
export async function readDeletionVector(
  store: ObjectStore,
  dv: DeletionVectorDescriptor,
  options: ReadDeletionVectorOptions = {},
): Promise<Float64Array> {
  const location = deletionVectorLocation(dv)
  let bitmap: Uint8Array
  let where = 'inline deletion vector'
  if (location.kind === 'inline') {
    bitmap = location.bytes
  } else {
    where = location.isAbsolute ? storeKeyOfAbsolutePath(store.url, location.path) : location.path
    const length = SIZE_BYTES + dv.sizeInBytes + CRC_BYTES
    const bytes = await store.get(where, { range: { offset: location.offset, length }, signal: options.signal })
    bitmap = checkFraming(bytes, dv, where)
  }
  const rows = decodeDeletionVectorBitmap(bitmap)
  if (rows.length !== dv.cardinality) {
    throw new DeletionVectorError(`deletion vector cardinality mismatch in '${where}': expected ${dv.cardinality} rows, found ${rows.length}`, { context: { path: where } })
  }
  return rows
}
