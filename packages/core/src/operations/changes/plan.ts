// The change data feed's plan (docs/row-level-plan.md §8; Spark's CDCReader.changesToDF, kernel's
// table_changes), pure over the commits of a version range: checks that every version recorded its
// changes (`delta.enableChangeDataFeed=true` from the start version on), then lists per version where
// its change rows come from. A version with `cdc` actions is read only from its change data files;
// one without is inferred: added files are inserts, removed files deletes, and a remove+add pair of one
// path is the difference of its deletion vectors.

import type { Action, AddCDCFile, AddFile, Metadata, Protocol, RemoveFile } from '../../actions/types.js'
import { ChangeDataError, SchemaError } from '../../errors.js'
import { checkReadable } from '../../features/index.js'
import { parseTableConfig } from '../../protocol/table-config.js'
import { PHYSICAL_NAME_KEY } from '../../schema/column-mapping.js'
import { parseSchema } from '../../schema/parse-schema.js'
import { columnMappingModeOf } from '../../snapshot/snapshot.js'

/** One commit of the range, parsed, with its commit timestamp (in-commit timestamp, else file time). */
export interface ChangeCommit {
  readonly version: number
  readonly timestamp: number
  readonly actions: readonly Action[]
}

/** Where change rows come from, for one version. */
export type ChangeSource =
  | { readonly kind: 'cdc'; readonly version: number; readonly timestamp: number; readonly file: AddCDCFile }
  | { readonly kind: 'insert'; readonly version: number; readonly timestamp: number; readonly file: AddFile }
  | { readonly kind: 'delete'; readonly version: number; readonly timestamp: number; readonly file: RemoveFile }
  | { readonly kind: 'deletionVectorDiff'; readonly version: number; readonly timestamp: number; readonly add: AddFile; readonly remove: RemoveFile }

/** The table as of the start version, from a snapshot there. */
export interface ChangesStart {
  readonly version: number
  readonly protocol: Protocol
  readonly metadata: Metadata
}

/** What `readChanges` reads: the sources in version order and the metadata/protocol in effect at the end. */
export interface ChangesPlan {
  readonly start: number
  readonly end: number
  readonly metadata: Metadata
  readonly protocol: Protocol
  readonly sources: readonly ChangeSource[]
}

/**
 * Plans reading the changes of `commits` (versions `start.version..end`, ascending, contiguous).
 * @throws ChangeDataError `ChangeDataNotRecorded` naming the first version without the change data feed
 *   (`context.version`, `context.start`, `context.end`); SchemaError `SchemaMismatch` when a column-mapping
 *   table renames or drops a column inside the range (`context.version`, `context.column`), as Spark refuses
 *   (its rows before and after cannot share one schema); ProtocolError when a protocol in the range cannot be read.
 */
export function planChanges(start: ChangesStart, commits: readonly ChangeCommit[]): ChangesPlan {
  const end = commits.at(-1)?.version ?? start.version
  let metadata = start.metadata
  let protocol = start.protocol
  const sources: ChangeSource[] = []
  for (const commit of commits) {
    for (const action of commit.actions) {
      if (action.kind === 'protocol') protocol = action.protocol
      if (action.kind === 'metaData') {
        checkSchemaChange(metadata, action.metaData, protocol, commit.version)
        metadata = action.metaData
      }
    }
    checkReadable(protocol, commit.version)
    if (!parseTableConfig(metadata.configuration).enableChangeDataFeed) throw notRecorded(commit.version, start.version, end)
    sources.push(...commitSources(commit))
  }
  return { start: start.version, end, metadata, protocol, sources }
}

/** The change sources of one commit (exported for unit tests). */
export function commitSources(commit: ChangeCommit): ChangeSource[] {
  const { version, timestamp, actions } = commit
  const cdc = actions.flatMap((a) => (a.kind === 'cdc' ? [a.cdc] : []))
  if (cdc.length > 0) return cdc.map((file) => ({ kind: 'cdc', version, timestamp, file }))
  const adds = actions.flatMap((a) => (a.kind === 'add' && a.add.dataChange ? [a.add] : []))
  const removes = actions.flatMap((a) => (a.kind === 'remove' && a.remove.dataChange ? [a.remove] : []))
  const removedByPath = new Map(removes.map((r) => [r.path, r]))
  const paired = new Set<string>()
  const out: ChangeSource[] = []
  for (const add of adds) {
    const remove = removedByPath.get(add.path)
    if (remove === undefined) {
      out.push({ kind: 'insert', version, timestamp, file: add })
    } else {
      paired.add(add.path)
      out.push({ kind: 'deletionVectorDiff', version, timestamp, add, remove })
    }
  }
  for (const remove of removes) if (!paired.has(remove.path)) out.push({ kind: 'delete', version, timestamp, file: remove })
  return out
}

/** Refuses a rename or drop of a top-level column under column mapping (Spark's blockBatchCdfReadWithIncompatibleSchemaChange). */
function checkSchemaChange(before: Metadata, after: Metadata, protocol: Protocol, version: number): void {
  if (before.schemaString === after.schemaString || columnMappingModeOf(protocol, after) === 'none') return
  const now = logicalByPhysical(after)
  for (const [physical, logical] of logicalByPhysical(before)) {
    const current = now.get(physical)
    if (current === logical) continue
    const change = current === undefined ? `drops column '${logical}'` : `renames column '${logical}' to '${current}'`
    throw new SchemaError('SchemaMismatch', `change data feed: version ${version} ${change}; expected no rename or drop of a column-mapping column inside the range: read the ranges before and after it separately`, {
      context: { version, column: logical },
    })
  }
}

function logicalByPhysical(metadata: Metadata): Map<string, string> {
  return new Map(parseSchema(metadata.schemaString).fields.map((f) => {
    const physical = f.metadata[PHYSICAL_NAME_KEY]
    return [typeof physical === 'string' ? physical : f.name, f.name]
  }))
}

function notRecorded(version: number, start: number, end: number): ChangeDataError {
  return new ChangeDataError(
    'ChangeDataNotRecorded',
    `change data feed of versions ${start}..${end}: expected delta.enableChangeDataFeed=true at every version, found it off at version ${version}`,
    { context: { version, start, end } },
  )
}
