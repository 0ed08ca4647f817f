// Deletion vector descriptors (PROTOCOL.md#Deletion Vector Descriptor): the unique id used in file
// keys, and where the bitmap lives (inline bytes, or a file and offset). Pure; no I/O.

import type { DeletionVectorDescriptor } from '../actions/types.js'
import { DeletionVectorError } from './deletion-vector-error.js'
import { z85Decode } from './z85.js'

const UUID_Z85_LENGTH = 20 // a 16-byte UUID in Z85

/** Where a deletion vector's bitmap is. `path` is relative to the table root, or an absolute URI. */
export type DeletionVectorLocation =
  | { readonly kind: 'inline'; readonly bytes: Uint8Array }
  | { readonly kind: 'file'; readonly path: string; readonly isAbsolute: boolean; readonly offset: number }

/** `storageType + pathOrInlineDv (+ '@' + offset)`: the DV part of a logical file key. */
export function deletionVectorUniqueId(dv: DeletionVectorDescriptor): string {
  const base = `${dv.storageType}${dv.pathOrInlineDv}`
  return dv.offset === undefined || dv.offset === null ? base : `${base}@${dv.offset}`
}

/** Formats 16 bytes as a lower-case UUID string `8-4-4-4-12`. */
export function formatUuid(bytes: Uint8Array): string {
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

/**
 * The table-relative file of a `u` descriptor: `<prefix>/deletion_vector_<uuid>.bin`, where
 * `pathOrInlineDv` is `<prefix><20-char Z85 uuid>`.
 * @throws DeletionVectorError (`CorruptLog`) when the id is too short or not Z85.
 */
export function deletionVectorRelativePath(pathOrInlineDv: string): string {
  if (pathOrInlineDv.length < UUID_Z85_LENGTH) {
    throw new DeletionVectorError(
      `invalid deletion vector id '${pathOrInlineDv}': expected at least ${UUID_Z85_LENGTH} chars, found ${pathOrInlineDv.length}`,
    )
  }
  const prefix = pathOrInlineDv.slice(0, -UUID_Z85_LENGTH)
  const uuid = formatUuid(z85Decode(pathOrInlineDv.slice(-UUID_Z85_LENGTH)))
  const file = `deletion_vector_${uuid}.bin`
  return prefix === '' ? file : `${prefix}/${file}`
}

/**
 * Where to find a descriptor's bitmap. Inline bitmaps are decoded here (`sizeInBytes` bytes of Z85).
 * A missing `offset` means 0 (the protocol's default; Spark writes 1, after the format version byte).
 * @throws DeletionVectorError (`CorruptLog`) on an unknown storage type or malformed id.
 */
export function deletionVectorLocation(dv: DeletionVectorDescriptor): DeletionVectorLocation {
  const offset = dv.offset ?? 0
  switch (dv.storageType) {
    case 'i':
      return { kind: 'inline', bytes: z85Decode(dv.pathOrInlineDv, dv.sizeInBytes) }
    case 'u':
      return { kind: 'file', path: deletionVectorRelativePath(dv.pathOrInlineDv), isAbsolute: false, offset }
    case 'p':
      return { kind: 'file', path: dv.pathOrInlineDv, isAbsolute: true, offset }
    default: {
      const found: unknown = dv.storageType
      throw new DeletionVectorError(`invalid deletion vector storage type: expected 'u', 'i' or 'p', found '${String(found)}'`)
    }
  }
}

/**
 * The store key of an absolute DV path (`p` storage type): the part after the store's URL.
 * @throws DeletionVectorError (`Unsupported`) when the path is outside the store.
 */
export function storeKeyOfAbsolutePath(storeUrl: string, absolute: string): string {
  const norm = (u: string): string => u.replace(/^file:\/*/, 'file:///').replace(/\/+$/, '')
  const root = `${norm(storeUrl)}/`
  const target = norm(absolute)
  if (target.startsWith(root)) return decodeURIComponent(target.slice(root.length))
  throw new DeletionVectorError(`deletion vector path '${absolute}' is outside the table at '${storeUrl}'`, {
    code: 'Unsupported',
    context: { path: absolute },
  })
}
