// The read schema of checkpoint Parquet files (PROTOCOL.md#Checkpoint Schema): one nullable
// struct column per action type. Columns absent from a file read as null. Pure data.

import type { DataType, StructField, StructType } from '@lake/parquet'

const str: DataType = { kind: 'primitive', name: 'string' }
const long: DataType = { kind: 'primitive', name: 'long' }
const int: DataType = { kind: 'primitive', name: 'integer' }
const bool: DataType = { kind: 'primitive', name: 'boolean' }
const stringMap: DataType = { kind: 'map', keyType: str, valueType: str, valueContainsNull: true }
const stringList: DataType = { kind: 'array', elementType: str, containsNull: true }

function field(name: string, type: DataType): StructField {
  return { name, type, nullable: true, metadata: {} }
}

function struct(fields: readonly (readonly [string, DataType])[]): StructType {
  return { kind: 'struct', fields: fields.map(([name, type]) => field(name, type)) }
}

const deletionVector = struct([
  ['storageType', str],
  ['pathOrInlineDv', str],
  ['offset', int],
  ['sizeInBytes', int],
  ['cardinality', long],
])

const add = struct([
  ['path', str],
  ['partitionValues', stringMap],
  ['size', long],
  ['modificationTime', long],
  ['dataChange', bool],
  ['stats', str],
  ['tags', stringMap],
  ['deletionVector', deletionVector],
  ['baseRowId', long],
  ['defaultRowCommitVersion', long],
  ['clusteringProvider', str],
])

const remove = struct([
  ['path', str],
  ['deletionTimestamp', long],
  ['dataChange', bool],
  ['extendedFileMetadata', bool],
  ['partitionValues', stringMap],
  ['size', long],
  ['deletionVector', deletionVector],
  ['baseRowId', long],
  ['defaultRowCommitVersion', long],
])

const metaData = struct([
  ['id', str],
  ['name', str],
  ['description', str],
  ['format', struct([['provider', str], ['options', stringMap]])],
  ['schemaString', str],
  ['partitionColumns', stringList],
  ['configuration', stringMap],
  ['createdTime', long],
])

const protocol = struct([
  ['minReaderVersion', int],
  ['minWriterVersion', int],
  ['readerFeatures', stringList],
  ['writerFeatures', stringList],
])

const txn = struct([['appId', str], ['version', long], ['lastUpdated', long]])
const domainMetadata = struct([['domain', str], ['configuration', str], ['removed', bool]])
const sidecar = struct([['path', str], ['sizeInBytes', long], ['modificationTime', long], ['tags', stringMap]])
const checkpointMetadata = struct([['version', long], ['tags', stringMap]])

/** Every action column of a checkpoint, V1 and V2. */
export const CHECKPOINT_READ_SCHEMA: StructType = struct([
  ['txn', txn],
  ['add', add],
  ['remove', remove],
  ['metaData', metaData],
  ['protocol', protocol],
  ['domainMetadata', domainMetadata],
  ['sidecar', sidecar],
  ['checkpointMetadata', checkpointMetadata],
])

/** The columns of a sidecar file (file actions only, PROTOCOL.md#Sidecar Files). */
export const SIDECAR_READ_SCHEMA: StructType = struct([
  ['add', add],
  ['remove', remove],
])
