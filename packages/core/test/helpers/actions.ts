// Builders of inline actions for unit tests: small, explicit defaults, override anything.

import type { Action, AddFile, CommitInfo, Metadata, Protocol, RemoveFile, Txn } from '../../src/internal.js'

export function protocol(minReaderVersion = 1, minWriterVersion = 2, extra: Partial<Protocol> = {}): Action {
  return { kind: 'protocol', protocol: { minReaderVersion, minWriterVersion, ...extra } }
}

export const SIMPLE_SCHEMA = JSON.stringify({
  type: 'struct',
  fields: [
    { name: 'id', type: 'long', nullable: true, metadata: {} },
    { name: 'part', type: 'string', nullable: true, metadata: {} },
  ],
})

export function metadata(extra: Partial<Metadata> = {}): Action {
  return {
    kind: 'metaData',
    metaData: {
      id: 'table-id',
      format: { provider: 'parquet', options: {} },
      schemaString: SIMPLE_SCHEMA,
      partitionColumns: [],
      configuration: {},
      createdTime: 1_700_000_000_000,
      ...extra,
    },
  }
}

export function add(path: string, extra: Partial<AddFile> = {}): Action {
  return {
    kind: 'add',
    add: { path, partitionValues: {}, size: 100, modificationTime: 1_700_000_000_000, dataChange: true, ...extra },
  }
}

export function remove(path: string, extra: Partial<RemoveFile> = {}): Action {
  return { kind: 'remove', remove: { path, deletionTimestamp: 1_700_000_000_000, dataChange: true, ...extra } }
}

export function txn(appId: string, version: number, extra: Partial<Txn> = {}): Action {
  return { kind: 'txn', txn: { appId, version, ...extra } }
}

export function commitInfo(info: CommitInfo = {}): Action {
  return { kind: 'commitInfo', commitInfo: { timestamp: 1_700_000_000_000, operation: 'WRITE', ...info } }
}

export function domain(name: string, configuration: string, removed = false): Action {
  return { kind: 'domainMetadata', domainMetadata: { domain: name, configuration, removed } }
}

/** An inline deletion vector descriptor with a given id and cardinality. */
export function dv(id: string, cardinality = 1): NonNullable<AddFile['deletionVector']> {
  return { storageType: 'i', pathOrInlineDv: id, sizeInBytes: 10, cardinality }
}
