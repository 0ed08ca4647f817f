// The synchronous half of a write: plan it against one snapshot and check rows (schema coercion,
// replaceWhere, constraints) before their files are written. Shared by the array and streaming paths.
//
//   const prepared = prepareWrite(engine, snapshot, rows, { mode: 'append' })  // plan + checked rows, no I/O

import type { Row } from '@lake/parquet'
import type { Engine } from '../../engine.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { columnMappingModeOf } from '../../snapshot/snapshot.js'
import type { ColumnMappingMode } from '../../schema/column-mapping.js'
import { assertCanWrite } from '../../features/index.js'
import { createRowCoercer } from '../../rows/coerce-rows.js'
import { constraintEvaluator } from '../../rows/row-constraints.js'
import { checkRowConstraints, compileReplaceWhere } from './replace-where.js'
import type { CompiledReplaceWhere } from './replace-where.js'
import { planWrite } from './plan.js'
import type { WriteMode, WritePlan } from './plan.js'
import { parseTableConfig } from '../../protocol/table-config.js'
import type { TableConfig } from '../../protocol/table-config.js'
import type { WriteDataFilesOptions } from '../../files/write-data-files.js'
import type { WriteOptions, WriteResult } from './options.js'

/** A write checked and planned against one snapshot, before any I/O; or its result when nothing is to be written. */
export type Prepared =
  | { readonly kind: 'done'; readonly result: WriteResult }
  | {
      readonly kind: 'write'
      readonly mode: WriteMode
      readonly plan: Extract<WritePlan, { kind: 'write' }>
      readonly replace: CompiledReplaceWhere | undefined
      /** The checked rows of `input` (for a stream: of its first chunk). */
      readonly rows: readonly Row[]
    }

/** A prepared write that writes. */
export type PreparedWrite = Extract<Prepared, { kind: 'write' }>

/**
 * Plans the write and checks every row of `input` (synchronous: mode, schema, protocol,
 * constraints). For a stream, `input` is its first chunk: a schema is inferred from it.
 */
export function prepareWrite(engine: Engine, snapshot: Snapshot | undefined, input: readonly unknown[], options: WriteOptions): Prepared {
  const txn = options.txn
  if (snapshot !== undefined && txn !== undefined) {
    const done = snapshot.txnVersion(txn.appId)
    if (done !== undefined && done >= txn.version) {
      return { kind: 'done', result: { status: 'skipped', version: snapshot.version, reason: `appId '${txn.appId}' already committed version ${done} (>= ${txn.version})` } }
    }
  }
  const mode = options.mode ?? 'error'
  const plan = planWrite(snapshot, input, { ...options, mode }, engine.now())
  if (plan.kind === 'skip') return { kind: 'done', result: { status: 'skipped', version: snapshot?.version ?? -1, reason: plan.reason } }

  const replace = options.replaceWhere === undefined ? undefined : compileReplaceWhere(options.replaceWhere, plan.schema, plan.partitionColumns, snapshot?.columnMappingMode)
  if (snapshot !== undefined) {
    // Constraints are enforced row-wise below, so those lake can bind are writable; a replaceWhere
    // on data columns rewrites rows of straddling files (needs CDC files under change data feed).
    assertCanWrite(
      { protocol: plan.protocol ?? snapshot.protocol, schema: plan.schema, configuration: plan.metadata?.configuration ?? snapshot.metadata.configuration },
      { removesData: plan.removeAll || replace !== undefined, rewritesRows: replace !== undefined && !replace.partitionOnly },
      { canEvaluate: constraintEvaluator(plan.schema) },
    )
  }
  const prepared = { kind: 'write' as const, mode, plan, replace, rows: [] }
  return { ...prepared, rows: checkRows(snapshot, prepared, input, 0) }
}

/**
 * Coerces rows to the plan's schema and checks them against replaceWhere and the table's
 * constraints; `firstRow` is the index of `input[0]` in the whole input (for messages).
 * @throws SchemaError `SchemaMismatch`, WriteError / ConstraintViolationError `ConstraintViolation`.
 */
export function checkRows(snapshot: Snapshot | undefined, prepared: PreparedWrite, input: readonly unknown[], firstRow: number): Row[] {
  const { plan, replace } = prepared
  const coerce = createRowCoercer(plan.schema, { partitionColumns: plan.partitionColumns })
  const rows = input.map((row, i) => coerce(row, firstRow + i))
  checkRowConstraints(rows, replace, plan.schema, plan.metadata?.configuration ?? snapshot?.metadata.configuration ?? {}, firstRow)
  return rows
}

/** The configuration the commit leaves the table with (new tables and overwriteSchema set it). */
export function writeConfig(snapshot: Snapshot | undefined, prepared: PreparedWrite): TableConfig {
  const { plan } = prepared
  return plan.metadata === undefined && snapshot !== undefined ? snapshot.config : parseTableConfig(plan.metadata?.configuration ?? {})
}

/** The column mapping mode the commit leaves the table with (honoured only when its protocol supports it). */
export function writeMappingMode(snapshot: Snapshot | undefined, prepared: PreparedWrite): ColumnMappingMode {
  const { plan } = prepared
  if (snapshot !== undefined && plan.metadata === undefined && plan.protocol === undefined) return snapshot.columnMappingMode
  const protocol = plan.protocol ?? snapshot?.protocol
  const metadata = plan.metadata ?? snapshot?.metadata
  return protocol === undefined || metadata === undefined ? 'none' : columnMappingModeOf(protocol, metadata)
}

/** The options data files of this write are written with. */
export function fileOptions(snapshot: Snapshot | undefined, prepared: PreparedWrite, options: WriteOptions): WriteDataFilesOptions {
  const { plan } = prepared
  return {
    schema: plan.schema,
    partitionColumns: plan.partitionColumns,
    ...(options.compression === undefined ? {} : { compression: options.compression }),
    ...(options.targetFileBytes === undefined ? {} : { targetFileBytes: options.targetFileBytes }),
    ...(options.maxRowsPerFile === undefined ? {} : { maxRowsPerFile: options.maxRowsPerFile }),
    statsColumnLimit: writeConfig(snapshot, prepared).statsColumnLimit,
    columnMappingMode: writeMappingMode(snapshot, prepared),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  }
}
