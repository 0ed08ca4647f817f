// The logical file key of add/remove actions (PROTOCOL.md#Action Reconciliation): the path plus
// the deletion vector's unique id. Pure.

import type { DeletionVectorDescriptor } from '../actions/types.js'

/** `storageType + pathOrInlineDv (+ '@' + offset)` (PROTOCOL.md#Deletion Vector Descriptor). */
export function dvUniqueId(dv: DeletionVectorDescriptor): string {
  return dv.offset === undefined || dv.offset === null
    ? `${dv.storageType}${dv.pathOrInlineDv}`
    : `${dv.storageType}${dv.pathOrInlineDv}@${dv.offset}`
}

/** The reconciliation key of a file action: `(path, dv uniqueId)` joined with a separator no path holds. */
export function fileKey(file: { readonly path: string; readonly deletionVector?: DeletionVectorDescriptor | null }): string {
  const dv = file.deletionVector
  return dv === undefined || dv === null ? file.path : `${file.path}\u0000${dvUniqueId(dv)}`
}
