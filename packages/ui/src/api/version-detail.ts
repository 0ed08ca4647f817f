// GET /api/versions/:version: one commit — its commitInfo, the files it added and removed, and what
// it changed in schema, protocol and properties compared with the version before. Only a commit that
// carries a metaData or protocol action loads the previous version's snapshot.

import { findCommitInfo, parseSchema } from '@lake/core/internal'
import type { Action, AddFile, CommitInfo, Metadata, Protocol, RemoveFile } from '@lake/core/internal'
import type { TableSource } from '../source/table-source.js'
import { fileRow, removedRow } from './file-row.js'
import type { FileRow } from './file-row.js'
import { propertyChanges, protocolState, schemaChange } from './table-diff.js'
import type { PropertyChange, ProtocolState, SchemaChange } from './table-diff.js'

/** Files listed per side; the counts and byte totals always cover all of them. */
const MAX_FILES_LISTED = 1000

export interface FileList {
  readonly count: number
  readonly bytes: number
  readonly files: readonly FileRow[]
}

export interface VersionDetail {
  readonly version: number
  readonly commitInfo: CommitInfo | null
  readonly added: FileList
  readonly removed: FileList
  /** Null when the commit does not change the schema (no metaData action, or the same columns). */
  readonly schemaChange: SchemaChange | null
  readonly protocolChange: { readonly before: ProtocolState | null; readonly after: ProtocolState } | null
  readonly propertyChanges: readonly PropertyChange[]
}

/** The detail of commit `version`. @throws StorageError `NotFound` when the commit file does not exist. */
export async function versionDetail(source: TableSource, version: number): Promise<VersionDetail> {
  const actions = await source.commit(version)
  const adds = actions.flatMap((a): AddFile[] => (a.kind === 'add' ? [a.add] : []))
  const removes = actions.flatMap((a): RemoveFile[] => (a.kind === 'remove' ? [a.remove] : []))
  const changes = await metadataChanges(source, version, actions)
  return {
    version,
    commitInfo: findCommitInfo(actions) ?? null,
    added: { count: adds.length, bytes: sum(adds.map((a) => a.size)), files: adds.slice(0, MAX_FILES_LISTED).map(fileRow) },
    removed: { count: removes.length, bytes: sum(removes.map((r) => r.size ?? 0)), files: removes.slice(0, MAX_FILES_LISTED).map(removedRow) },
    ...changes,
  }
}

type Changes = Pick<VersionDetail, 'schemaChange' | 'protocolChange' | 'propertyChanges'>

async function metadataChanges(source: TableSource, version: number, actions: readonly Action[]): Promise<Changes> {
  const metadata = actions.find((a): a is Extract<Action, { kind: 'metaData' }> => a.kind === 'metaData')?.metaData
  const protocol = actions.find((a): a is Extract<Action, { kind: 'protocol' }> => a.kind === 'protocol')?.protocol
  if (metadata === undefined && protocol === undefined) return { schemaChange: null, protocolChange: null, propertyChanges: [] }
  const previous = await previousState(source, version)
  return {
    schemaChange: metadata === undefined ? null : nonEmpty(schemaChange(previous?.schema ?? { kind: 'struct', fields: [] }, parseSchema(metadata.schemaString))),
    protocolChange: protocolDiff(previous?.protocol, protocol),
    propertyChanges: metadata === undefined ? [] : propertyChanges(previous?.metadata.configuration ?? {}, metadata.configuration),
  }
}

/** The table at `version - 1`, or undefined at version 0 (or when that version's log was cleaned up). */
async function previousState(source: TableSource, version: number): Promise<{ schema: ReturnType<typeof parseSchema>; metadata: Metadata; protocol: Protocol } | undefined> {
  if (version === 0) return undefined
  try {
    const table = await source.table(version - 1)
    return { schema: table.schema, metadata: table.metadata, protocol: table.protocol }
  } catch {
    return undefined
  }
}

function protocolDiff(before: Protocol | undefined, after: Protocol | undefined): VersionDetail['protocolChange'] {
  if (after === undefined) return null
  const now = protocolState(after)
  const was = before === undefined ? null : protocolState(before)
  return was !== null && JSON.stringify(was) === JSON.stringify(now) ? null : { before: was, after: now }
}

function nonEmpty(change: SchemaChange): SchemaChange | null {
  return change.added.length + change.removed.length + change.changed.length === 0 ? null : change
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0)
}
