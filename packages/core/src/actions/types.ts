// Delta log actions as parsed values (PROTOCOL.md#Actions). Field names are exactly the protocol's.
// Pure type declarations. Unknown fields are kept in the parsed objects so they round-trip.

/** The `protocol` action: reader/writer versions and table features a client must support. */
export interface Protocol {
  readonly minReaderVersion: number
  readonly minWriterVersion: number
  readonly readerFeatures?: readonly string[]
  readonly writerFeatures?: readonly string[]
}

export interface Format {
  readonly provider: string
  readonly options: Readonly<Record<string, string>>
}

/** The `metaData` action: table id, schema, partition columns and properties. */
export interface Metadata {
  readonly id: string
  readonly name?: string | null
  readonly description?: string | null
  readonly format: Format
  /** The schema as the protocol stores it: a JSON string of the struct type. */
  readonly schemaString: string
  readonly partitionColumns: readonly string[]
  readonly createdTime?: number | null
  readonly configuration: Readonly<Record<string, string>>
}

/** PROTOCOL.md#Deletion Vector Descriptor */
export interface DeletionVectorDescriptor {
  readonly storageType: 'u' | 'i' | 'p'
  readonly pathOrInlineDv: string
  readonly offset?: number
  readonly sizeInBytes: number
  readonly cardinality: number
}

/** The `add` action: a data file that is part of the table (with stats and a deletion vector). */
export interface AddFile {
  /** A URI-encoded path relative to the table root, or an absolute URI. */
  readonly path: string
  /** Partition column (physical name) to serialized value; null or '' means SQL NULL. */
  readonly partitionValues: Readonly<Record<string, string | null>>
  readonly size: number
  readonly modificationTime: number
  readonly dataChange: boolean
  /** Per-file statistics as a JSON string (PROTOCOL.md#Per-file Statistics). */
  readonly stats?: string | null
  readonly tags?: Readonly<Record<string, string>> | null
  readonly deletionVector?: DeletionVectorDescriptor | null
  readonly baseRowId?: number | null
  readonly defaultRowCommitVersion?: number | null
  readonly clusteringProvider?: string | null
}

/** The `remove` action: a tombstone for a data file no longer in the table. */
export interface RemoveFile {
  readonly path: string
  readonly deletionTimestamp?: number | null
  readonly dataChange: boolean
  readonly extendedFileMetadata?: boolean | null
  readonly partitionValues?: Readonly<Record<string, string | null>> | null
  readonly size?: number | null
  readonly stats?: string | null
  readonly tags?: Readonly<Record<string, string>> | null
  readonly deletionVector?: DeletionVectorDescriptor | null
  readonly baseRowId?: number | null
  readonly defaultRowCommitVersion?: number | null
}

export interface AddCDCFile {
  readonly path: string
  readonly partitionValues: Readonly<Record<string, string | null>>
  readonly size: number
  readonly dataChange: boolean
  readonly tags?: Readonly<Record<string, string>> | null
}

/** PROTOCOL.md#Transaction Identifiers */
export interface Txn {
  readonly appId: string
  readonly version: number
  readonly lastUpdated?: number | null
}

export interface DomainMetadata {
  readonly domain: string
  readonly configuration: string
  readonly removed: boolean
}

/** Free-form provenance (PROTOCOL.md#Commit Provenance Information); the usual fields typed. */
export interface CommitInfo {
  readonly timestamp?: number
  readonly inCommitTimestamp?: number
  readonly operation?: string
  readonly operationParameters?: Readonly<Record<string, unknown>>
  readonly operationMetrics?: Readonly<Record<string, unknown>>
  readonly readVersion?: number
  readonly isolationLevel?: string
  readonly isBlindAppend?: boolean
  readonly engineInfo?: string
  readonly txnId?: string
  readonly [key: string]: unknown
}

export interface Sidecar {
  readonly path: string
  readonly sizeInBytes: number
  readonly modificationTime: number
  readonly tags?: Readonly<Record<string, string>> | null
}

export interface CheckpointMetadata {
  readonly version: number
  readonly tags?: Readonly<Record<string, string>> | null
}

/** One line of a commit file (or one row of a checkpoint), discriminated by `kind`. */
export type Action =
  | { readonly kind: 'protocol'; readonly protocol: Protocol }
  | { readonly kind: 'metaData'; readonly metaData: Metadata }
  | { readonly kind: 'add'; readonly add: AddFile }
  | { readonly kind: 'remove'; readonly remove: RemoveFile }
  | { readonly kind: 'cdc'; readonly cdc: AddCDCFile }
  | { readonly kind: 'txn'; readonly txn: Txn }
  | { readonly kind: 'commitInfo'; readonly commitInfo: CommitInfo }
  | { readonly kind: 'domainMetadata'; readonly domainMetadata: DomainMetadata }
  | { readonly kind: 'sidecar'; readonly sidecar: Sidecar }
  | { readonly kind: 'checkpointMetadata'; readonly checkpointMetadata: CheckpointMetadata }

export type ActionKind = Action['kind']
