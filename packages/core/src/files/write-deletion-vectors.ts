// Writes the deletion vectors of several data files: tiny ones inline, the others into one new
// `deletion_vector_<uuid>.bin` file through the Engine's store. Does not commit: the caller puts the
// descriptors in add actions; a DV file no commit names is an orphan that VACUUM deletes.

import { randomUUID } from 'node:crypto'
import type { DeletionVectorDescriptor } from '../actions/types.js'
import type { Engine } from '../engine.js'
import { DeletionVectorError } from '../dv/deletion-vector-error.js'
import { encodeDeletionVectorFile } from '../dv/dv-file.js'
import { deletionVectorFileName, inlineDeletionVector, storedDeletionVector } from '../dv/new-descriptor.js'
import { encodeDeletionVectorBitmap } from '../dv/roaring-encode.js'
import type { EncodedDeletionVector } from '../dv/roaring-encode.js'
import type { RowIndex } from '../dv/row-index-buckets.js'

/** Options of `writeDeletionVectors`. */
export interface WriteDeletionVectorsOptions {
  /** Alphanumeric folder for the DV file (Spark's random prefix); default none (the table root). */
  readonly prefix?: string
  /** Bitmaps of at most this many bytes go inline in the descriptor; default 0 (always a file). */
  readonly inlineMaxBytes?: number
  /** The DV file's uuid; default a random one. */
  readonly uuid?: string
  readonly signal?: AbortSignal
}

/** What `writeDeletionVectors` wrote: the DV file (absent when every DV went inline) and the descriptors. */
export interface WrittenDeletionVectors {
  readonly path?: string
  /** One descriptor per input row set, in input order. */
  readonly descriptors: readonly DeletionVectorDescriptor[]
}

function encodeAll(rowSets: readonly Iterable<RowIndex>[]): EncodedDeletionVector[] {
  return rowSets.map((rows, index) => {
    const encoded = encodeDeletionVectorBitmap(rows)
    if (encoded.cardinality === 0) {
      throw new DeletionVectorError(`invalid deletion vector ${index}: expected at least one row index, found none`, {
        code: 'InvalidArgument',
        context: { index },
      })
    }
    return encoded
  })
}

/**
 * Encodes one deletion vector per row set and writes those larger than `inlineMaxBytes` into one new
 * DV file (`putIfAbsent`, so an existing file is never replaced). Nothing is written when an input
 * is invalid.
 * @throws DeletionVectorError (`InvalidArgument`) on an invalid row index, an empty row set, or a bad
 * prefix or uuid. StorageError from the store (`AlreadyExists` if the file exists).
 */
export async function writeDeletionVectors(
  engine: Engine,
  rowSets: readonly Iterable<RowIndex>[],
  options: WriteDeletionVectorsOptions = {},
): Promise<WrittenDeletionVectors> {
  const encoded = encodeAll(rowSets)
  const inlineMaxBytes = options.inlineMaxBytes ?? 0
  const stored = encoded.filter((dv) => dv.bitmap.length > inlineMaxBytes)
  if (stored.length === 0) return { descriptors: encoded.map(inlineDeletionVector) }
  const name = deletionVectorFileName(options.uuid ?? randomUUID(), options.prefix)
  const file = encodeDeletionVectorFile(stored.map((dv) => dv.bitmap))
  await engine.store.putIfAbsent(name.path, file.bytes, { signal: options.signal })
  const entryOf = new Map(stored.map((dv, k) => [dv, file.entries[k]]))
  const descriptors = encoded.map((dv) => {
    const entry = entryOf.get(dv) // none for the DVs that stay inline
    return entry === undefined ? inlineDeletionVector(dv) : storedDeletionVector(name.id, entry, dv.cardinality)
  })
  return { path: name.path, descriptors }
}
