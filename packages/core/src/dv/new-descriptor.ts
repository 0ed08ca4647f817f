// Descriptors of deletion vectors a writer creates (PROTOCOL.md#Deletion Vector Descriptor): inline
// (`i`, Z85 of the bitmap) and file-stored relative to the table (`u`, optional prefix + Z85 uuid). Pure.

import type { DeletionVectorDescriptor } from '../actions/types.js'
import { deletionVectorRelativePath } from './descriptor.js'
import { DeletionVectorError } from './deletion-vector-error.js'
import type { DeletionVectorFileEntry } from './dv-file.js'
import type { EncodedDeletionVector } from './roaring-encode.js'
import { z85Encode } from './z85.js'

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const PREFIX_PATTERN = /^[0-9a-zA-Z]*$/ // Spark's random prefixes are alphanumeric; they become a folder

/** The descriptor of a DV stored in the log itself: Z85 of the bitmap, `sizeInBytes` before padding. */
export function inlineDeletionVector(dv: EncodedDeletionVector): DeletionVectorDescriptor {
  return { storageType: 'i', pathOrInlineDv: z85Encode(dv.bitmap), sizeInBytes: dv.bitmap.length, cardinality: dv.cardinality }
}

/**
 * The 16 bytes of a lower-case UUID string `8-4-4-4-12`.
 * @throws DeletionVectorError (`InvalidArgument`) when `uuid` is not in that form.
 */
export function parseUuid(uuid: string): Uint8Array {
  if (!UUID_PATTERN.test(uuid)) {
    throw new DeletionVectorError(`invalid deletion vector uuid: expected 8-4-4-4-12 lower-case hex digits, found '${uuid}'`, {
      code: 'InvalidArgument',
      context: { uuid },
    })
  }
  const hex = uuid.replaceAll('-', '')
  return Uint8Array.from({ length: 16 }, (_, i) => Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16))
}

/**
 * The `pathOrInlineDv` of a `u` descriptor: `prefix` followed by the Z85 of the uuid's 16 bytes.
 * Its file is `deletionVectorRelativePath(id)`: `[<prefix>/]deletion_vector_<uuid>.bin`.
 * @throws DeletionVectorError (`InvalidArgument`) on a malformed uuid or a non-alphanumeric prefix.
 */
export function deletionVectorFileId(uuid: string, prefix = ''): string {
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new DeletionVectorError(`invalid deletion vector prefix: expected letters and digits only, found '${prefix}'`, {
      code: 'InvalidArgument',
      context: { prefix },
    })
  }
  return `${prefix}${z85Encode(parseUuid(uuid))}`
}

/** A DV file the writer produced: its table-relative path and the id its descriptors carry. */
export interface DeletionVectorFileName {
  readonly id: string
  readonly path: string
}

/** The id and table-relative path of the DV file named by `uuid` (and `prefix`). */
export function deletionVectorFileName(uuid: string, prefix?: string): DeletionVectorFileName {
  const id = deletionVectorFileId(uuid, prefix)
  return { id, path: deletionVectorRelativePath(id) }
}

/** The descriptor of one DV stored in the file `id` at `entry` (from `encodeDeletionVectorFile`). */
export function storedDeletionVector(id: string, entry: DeletionVectorFileEntry, cardinality: number): DeletionVectorDescriptor {
  return { storageType: 'u', pathOrInlineDv: id, offset: entry.offset, sizeInBytes: entry.sizeInBytes, cardinality }
}
