// Parsing of the file actions (add, remove, cdc) and deletion-vector descriptors from JSON values.
// Unknown fields are kept on the returned objects. Pure.

import { compact, FieldReader, isObject } from './fields.js'
import type { JsonObject, Origin } from './fields.js'
import type { AddCDCFile, AddFile, DeletionVectorDescriptor, RemoveFile } from './types.js'

const STORAGE_TYPES = new Set(['u', 'i', 'p'])

/** PROTOCOL.md#Deletion Vector Descriptor */
export function parseDeletionVector(
  value: unknown,
  action: string,
  origin: Origin,
): DeletionVectorDescriptor | null | undefined {
  if (value === undefined || value === null) return value
  const parent = new FieldReader({ deletionVector: value }, action, origin)
  if (!isObject(value)) return parent.fail('deletionVector', 'an object', value)
  const r = new FieldReader(value, `${action}.deletionVector`, origin)
  const storageType = r.string('storageType')
  if (!STORAGE_TYPES.has(storageType)) r.fail('storageType', "one of 'u', 'i', 'p'", storageType)
  const offset = r.optInteger('offset')
  return compact({
    ...value,
    storageType: storageType as DeletionVectorDescriptor['storageType'],
    pathOrInlineDv: r.string('pathOrInlineDv'),
    ...(offset === undefined || offset === null ? {} : { offset }),
    sizeInBytes: r.integer('sizeInBytes'),
    cardinality: r.integer('cardinality'),
  })
}

/** PROTOCOL.md#Add File and Remove File (add) */
export function parseAdd(obj: JsonObject, origin: Origin): AddFile {
  const r = new FieldReader(obj, 'add', origin)
  return compact({
    ...obj,
    path: r.string('path'),
    partitionValues: r.optStringMap('partitionValues', true) ?? {},
    size: r.integer('size'),
    modificationTime: r.integer('modificationTime'),
    dataChange: r.boolean('dataChange'),
    stats: r.optString('stats'),
    tags: r.optStringMap('tags') as AddFile['tags'],
    deletionVector: parseDeletionVector(obj['deletionVector'], 'add', origin),
    baseRowId: r.optInteger('baseRowId'),
    defaultRowCommitVersion: r.optInteger('defaultRowCommitVersion'),
    clusteringProvider: r.optString('clusteringProvider'),
  })
}

/** PROTOCOL.md#Add File and Remove File (remove) */
export function parseRemove(obj: JsonObject, origin: Origin): RemoveFile {
  const r = new FieldReader(obj, 'remove', origin)
  return compact({
    ...obj,
    path: r.string('path'),
    deletionTimestamp: r.optInteger('deletionTimestamp'),
    dataChange: r.boolean('dataChange'),
    extendedFileMetadata: r.optBoolean('extendedFileMetadata'),
    partitionValues: r.optStringMap('partitionValues', true),
    size: r.optInteger('size'),
    stats: r.optString('stats'),
    tags: r.optStringMap('tags') as RemoveFile['tags'],
    deletionVector: parseDeletionVector(obj['deletionVector'], 'remove', origin),
    baseRowId: r.optInteger('baseRowId'),
    defaultRowCommitVersion: r.optInteger('defaultRowCommitVersion'),
  })
}

/** PROTOCOL.md#Add CDC File */
export function parseCdc(obj: JsonObject, origin: Origin): AddCDCFile {
  const r = new FieldReader(obj, 'cdc', origin)
  return compact({
    ...obj,
    path: r.string('path'),
    partitionValues: r.optStringMap('partitionValues', true) ?? {},
    size: r.integer('size'),
    dataChange: r.optBoolean('dataChange') ?? false,
    tags: r.optStringMap('tags') as AddCDCFile['tags'],
  })
}
