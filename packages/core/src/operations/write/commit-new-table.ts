// The create branch of commitFiles: files written for a table that does not exist yet are
// committed together with the table's protocol and metadata at version 0. When a concurrent
// creator wins version 0, the files go into its table as an append if they fit it.
//
//   await commitFiles(engine, undefined, adds, { newTable: { schema, partitionBy: ['day'] } })  // no table yet: version 0

import { parseTableConfig } from '../../protocol/table-config.js'
import type { StructType } from '@lake/parquet'
import { statsNumRecords } from '../../actions/row-count.js'
import type { AddFile } from '../../actions/types.js'
import type { CommitOptions, CommitResult } from '../../transaction/commit-request.js'
import { Transaction } from '../../commit/transaction.js'
import type { Engine } from '../../engine.js'
import { serializeSchema } from '../../schema/serialize-schema.js'
import { loadSnapshot } from '../../snapshot/load-snapshot.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { SchemaError, WriteError } from '../../errors.js'
import { assertCanWrite } from '../../features/index.js'
import { concurrentCreateError, isLostCreateRace } from './concurrent-create.js'
import { planWrite } from './plan.js'
import { writeCommitInfo } from './commit-info.js'

/** What a table created by a commit of files looks like (the files were written for it). */
export interface NewTableSpec {
  readonly schema: StructType
  readonly partitionBy?: readonly string[] | undefined
  /** Table properties (`delta.*` and custom). */
  readonly configuration?: Readonly<Record<string, string>> | undefined
  readonly name?: string | undefined
  readonly description?: string | undefined
  /** `metaData.id` of the new table (default: a random UUID), e.g. an id a job recorded before creating it. */
  readonly id?: string | undefined
}

/** What the create needs from commitFiles. */
export interface NewTableCommit {
  readonly txn?: { readonly appId: string; readonly version: number } | undefined
  readonly userMetadata?: string | undefined
  readonly commit?: CommitOptions | undefined
  readonly signal?: AbortSignal | undefined
  /** Commits the files into the table a concurrent creator made (an ordinary append). */
  readonly append: (created: Snapshot) => Promise<CommitResult>
}

/**
 * Creates the table with `adds` in its first commit; over a lost race for version 0, re-checks
 * the winner's table and appends into it (or skips when it holds the txn already).
 * @throws WriteError `TableExists` when the winner's table does not fit the files; `UnsupportedFeature` for a
 *   column-mapped new table (files written before the table exists cannot carry its physical names).
 */
export async function commitNewTable(engine: Engine, spec: NewTableSpec, adds: readonly AddFile[], request: NewTableCommit): Promise<CommitResult> {
  const plan = planWrite(undefined, [], { mode: 'append', ...definedOf(spec) }, engine.now())
  if (plan.kind !== 'write' || plan.metadata === undefined || plan.protocol === undefined) {
    throw new WriteError('InvalidArgument', `commitFiles: expected a plan that creates table ${engine.store.url}, found none`)
  }
  const metadata = spec.id === undefined ? plan.metadata : { ...plan.metadata, id: spec.id }
  const configuration = metadata.configuration
  if (parseTableConfig(configuration).columnMappingMode !== 'none') {
    // The files were written before the table assigned its physical names: they cannot carry them.
    throw new WriteError('UnsupportedFeature', `commitFiles: expected a new table without column mapping, found delta.columnMapping.mode '${configuration['delta.columnMapping.mode'] ?? ''}'; create the table first (DeltaTable.create), then write its files`)
  }
  const numRows = adds.reduce((n, a) => n + (statsNumRecords(a.stats) ?? 0), 0)
  const info = writeCommitInfo({ mode: 'append', isCreate: true, partitionColumns: plan.partitionColumns, adds, removes: [], numOutputRows: numRows, properties: configuration })
  const txn = Transaction.begin(engine, undefined, {
    operation: info.operation,
    intent: { removesData: false },
    protocol: plan.protocol,
    metadata,
    checkCreate: true,
    userMetadata: request.userMetadata,
    commit: request.commit,
    signal: request.signal,
  })
  txn.setProtocol(plan.protocol).setMetadata(metadata).addFiles(adds)
  if (request.txn !== undefined) txn.setAppTransaction(request.txn.appId, request.txn.version)
  if (info.operationMetrics !== undefined) txn.setMetrics(info.operationMetrics)
  const appTxn = request.txn
  try {
    return await txn.commitOrThrow()
  } catch (err) {
    if (!isLostCreateRace(err)) throw err
    const created = await loadSnapshot(engine, request.signal === undefined ? {} : { signal: request.signal })
    const done = appTxn === undefined ? undefined : created.txnVersion(appTxn.appId)
    if (appTxn !== undefined && done !== undefined && done >= appTxn.version) {
      return { status: 'skipped', version: created.version, reason: `appId '${appTxn.appId}' already committed version ${done} (>= ${appTxn.version}) in the table a concurrent writer created` }
    }
    try {
      checkFilesFit(created, plan.schema, plan.partitionColumns, configuration)
    } catch (cause) {
      throw concurrentCreateError(created, err, cause)
    }
    return request.append(created)
  }
}

function definedOf(spec: NewTableSpec): Omit<NewTableSpec, 'partitionBy' | 'id'> & { partitionBy?: readonly string[] } {
  return {
    schema: spec.schema,
    ...(spec.partitionBy === undefined ? {} : { partitionBy: spec.partitionBy }),
    ...(spec.configuration === undefined ? {} : { configuration: spec.configuration }),
    ...(spec.name === undefined ? {} : { name: spec.name }),
    ...(spec.description === undefined ? {} : { description: spec.description }),
  }
}

/**
 * Files written with `schema` and `partitionColumns` can be appended to `created` when it has the
 * same partition columns, every written column with the same type (its other columns nullable:
 * they read as null in these files), and no CHECK constraint the rows were not checked against.
 */
function checkFilesFit(created: Snapshot, schema: StructType, partitionColumns: readonly string[], configuration: Readonly<Record<string, string>>): void {
  const theirs = created.partitionColumns
  if (theirs.length !== partitionColumns.length || theirs.some((c, i) => c !== partitionColumns[i])) {
    throw new WriteError('InvalidArgument', `the data files were written partitioned by [${partitionColumns.join(', ')}], found the table partitioned by [${theirs.join(', ')}]`)
  }
  const tableFields = new Map(created.schema.fields.map((f) => [f.name, f]))
  for (const field of schema.fields) {
    const found = tableFields.get(field.name)
    const ours = serializeSchema({ kind: 'struct', fields: [{ ...field, nullable: true, metadata: {} }] })
    const same = found !== undefined && serializeSchema({ kind: 'struct', fields: [{ ...found, nullable: true, metadata: {} }] }) === ours
    if (same && found.nullable === false && field.nullable) throw new SchemaError('SchemaMismatch', `the data files were written with column ${JSON.stringify(field.name)} nullable, found it not nullable in the table`)
    if (!same) throw new SchemaError('SchemaMismatch', `the data files were written with column ${JSON.stringify(field.name)} as ${ours}, found ${found === undefined ? 'no such column' : serializeSchema({ kind: 'struct', fields: [found] })} in the table`)
  }
  const missing = created.schema.fields.find((f) => !f.nullable && !schema.fields.some((s) => s.name === f.name))
  if (missing !== undefined) throw new SchemaError('SchemaMismatch', `the table's column ${JSON.stringify(missing.name)} is not nullable, found no such column in the data files`)
  const constraints = (config: Readonly<Record<string, string>>): string => JSON.stringify(Object.entries(config).filter(([k]) => k.startsWith('delta.constraints.')).sort(([a], [b]) => (a < b ? -1 : 1)))
  if (constraints(created.metadata.configuration) !== constraints(configuration)) {
    throw new WriteError('ConstraintViolation', `the rows were checked against CHECK constraints ${constraints(configuration)}, found the table's constraints ${constraints(created.metadata.configuration)}`)
  }
  assertCanWrite({ protocol: created.protocol, schema: created.schema, configuration: created.metadata.configuration }, { removesData: false })
}
