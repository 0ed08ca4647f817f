// The JSON shapes of the API (mirrors @lake/ui's src/api types, as the page receives them).

export interface ColumnState { readonly path: string; readonly type: string; readonly nullable: boolean }
export interface ProtocolState { readonly minReaderVersion: number; readonly minWriterVersion: number; readonly readerFeatures: readonly string[]; readonly writerFeatures: readonly string[] }
export type Pairs = readonly (readonly [string, string | null])[]

export interface Overview {
  readonly uri: string; readonly name: string | null; readonly description: string | null; readonly location: string; readonly id: string
  readonly version: number; readonly latestVersion: number; readonly createdAt: string | null; readonly lastModified: string
  readonly partitionColumns: readonly string[]; readonly protocol: ProtocolState; readonly properties: readonly (readonly [string, string])[]
  readonly numFiles: number; readonly sizeInBytes: number; readonly numRecords: number | null; readonly columns: readonly ColumnState[]
}

export interface CommitSummary {
  readonly version: number; readonly timestamp: string; readonly operation: string | null
  readonly rowsAdded: string | null; readonly rowsRemoved: string | null; readonly filesAdded: string | null; readonly filesRemoved: string | null
  readonly bytesWritten: string | null; readonly engine: string | null; readonly isBlindAppend: boolean | null
}

export interface HistoryPage { readonly earliest: number; readonly latest: number; readonly total: number; readonly availableFrom: number; readonly entries: readonly CommitSummary[]; readonly next: number | null }

export interface FileRow { readonly path: string; readonly size: number | null; readonly partitionValues: Pairs; readonly numRecords: number | null; readonly deletedRows: number | null; readonly dataChange: boolean }
export interface FileList { readonly count: number; readonly bytes: number; readonly files: readonly FileRow[] }

export interface VersionDetail {
  readonly version: number; readonly commitInfo: Readonly<Record<string, unknown>> | null; readonly added: FileList; readonly removed: FileList
  readonly schemaChange: { readonly added: readonly ColumnState[]; readonly removed: readonly ColumnState[]; readonly changed: readonly { readonly before: ColumnState; readonly after: ColumnState }[] } | null
  readonly protocolChange: { readonly before: ProtocolState | null; readonly after: ProtocolState } | null
  readonly propertyChanges: readonly { readonly key: string; readonly before: string | null; readonly after: string | null }[]
}

export interface DataPage { readonly version: number; readonly columns: readonly { readonly name: string; readonly type: string }[]; readonly rows: readonly (readonly (string | null)[])[]; readonly offset: number; readonly more: boolean }

export interface Finding { readonly kind: string; readonly message: string; readonly command: string | null }
export interface Health {
  readonly version: number; readonly targetBytes: number
  readonly histogram: readonly { readonly min: number; readonly max: number | null; readonly files: number; readonly bytes: number }[]
  readonly compactable: { readonly files: number; readonly bytes: number }
  readonly partitions: { readonly count: number; readonly largest: readonly { readonly values: Pairs; readonly files: number; readonly bytes: number }[]; readonly medianBytes: number }
  readonly deletionVectors: { readonly files: number; readonly deletedRows: number; readonly rows: number | null }
  readonly checkpoint: { readonly version: number | null; readonly commitsSince: number; readonly interval: number }
  readonly vacuum: { readonly retentionHours: number; readonly files: number; readonly bytes: number } | { readonly error: string }
  readonly findings: readonly Finding[]
}
