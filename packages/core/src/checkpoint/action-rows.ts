// Conversion of reconciled actions into checkpoint rows: one action per row, `Value` model types
// (bigint longs, Map maps), every other action column null. Pure.

import type { Row, Value } from '@lake/parquet'
import type { AddFile, DeletionVectorDescriptor, DomainMetadata, Metadata, Protocol, RemoveFile, Txn } from '../actions/types.js'
import type { CheckpointColumn } from './checkpoint-schema.js'

const EMPTY_ROW: Readonly<Record<CheckpointColumn, null>> = {
  txn: null,
  add: null,
  remove: null,
  metaData: null,
  protocol: null,
  domainMetadata: null,
}

/** A checkpoint row holding `value` in column `column` and null elsewhere. */
export function checkpointRow(column: CheckpointColumn, value: Value): Row {
  return { ...EMPTY_ROW, [column]: value }
}

/** The protocol row value; feature lists only at reader 3 / writer 7 (else null). */
export function protocolValue(p: Protocol): Value {
  return {
    minReaderVersion: p.minReaderVersion,
    minWriterVersion: p.minWriterVersion,
    readerFeatures: p.minReaderVersion >= 3 ? [...(p.readerFeatures ?? [])] : null,
    writerFeatures: p.minWriterVersion >= 7 ? [...(p.writerFeatures ?? [])] : null,
  }
}

/** The metaData row value. */
export function metadataValue(m: Metadata): Value {
  return {
    id: m.id,
    name: m.name ?? null,
    description: m.description ?? null,
    format: { provider: m.format.provider, options: stringMap(m.format.options) },
    schemaString: m.schemaString,
    partitionColumns: [...m.partitionColumns],
    configuration: stringMap(m.configuration),
    createdTime: optionalLong(m.createdTime),
  }
}

/** The txn row value. */
export function txnValue(t: Txn): Value {
  return { appId: t.appId, version: BigInt(t.version), lastUpdated: optionalLong(t.lastUpdated) }
}

/** The domainMetadata row value. */
export function domainMetadataValue(d: DomainMetadata): Value {
  return { domain: d.domain, configuration: d.configuration, removed: d.removed }
}

/** The add row value; `dataChange` is false in checkpoints (as Spark writes them). */
export function addValue(a: AddFile): Value {
  return {
    path: a.path,
    partitionValues: stringMap(a.partitionValues),
    size: BigInt(a.size),
    modificationTime: BigInt(a.modificationTime),
    dataChange: false,
    stats: a.stats ?? null,
    tags: a.tags ? stringMap(a.tags) : null,
    deletionVector: a.deletionVector ? dvValue(a.deletionVector) : null,
    baseRowId: optionalLong(a.baseRowId),
    defaultRowCommitVersion: optionalLong(a.defaultRowCommitVersion),
    clusteringProvider: a.clusteringProvider ?? null,
  }
}

/** The remove (tombstone) row value: no stats, no tags (PROTOCOL.md#Checkpoint Schema), `dataChange` false. */
export function removeValue(r: RemoveFile): Value {
  return {
    path: r.path,
    deletionTimestamp: optionalLong(r.deletionTimestamp),
    dataChange: false,
    extendedFileMetadata: r.extendedFileMetadata ?? null,
    partitionValues: r.partitionValues ? stringMap(r.partitionValues) : null,
    size: optionalLong(r.size),
    deletionVector: r.deletionVector ? dvValue(r.deletionVector) : null,
    baseRowId: optionalLong(r.baseRowId),
    defaultRowCommitVersion: optionalLong(r.defaultRowCommitVersion),
  }
}

function dvValue(dv: DeletionVectorDescriptor): Value {
  return {
    storageType: dv.storageType,
    pathOrInlineDv: dv.pathOrInlineDv,
    offset: dv.offset ?? null,
    sizeInBytes: dv.sizeInBytes,
    cardinality: BigInt(dv.cardinality),
  }
}

function stringMap(record: Readonly<Record<string, string | null>>): ReadonlyMap<Value, Value> {
  return new Map<Value, Value>(Object.entries(record))
}

function optionalLong(n: number | null | undefined): bigint | null {
  return n === null || n === undefined ? null : BigInt(n)
}
