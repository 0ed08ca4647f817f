// Error classes of @lake/core: protocol/log corruption, table lookup failures, schema and argument
// problems, refused writes and refused maintenance operations. All extend `LakeError` so callers
// branch on `code`, never on message text. They live at the bottom layer so any folder may throw them.

import { LakeError } from '@lake/storage'
import type { LakeErrorCode, LakeErrorOptions } from '@lake/storage'

/** Codes a `ProtocolError` carries. */
export type ProtocolErrorCode = Extract<LakeErrorCode, 'CorruptLog' | 'UnsupportedFeature' | 'InvalidProtocol'>

/**
 * The log breaks the Delta protocol (`CorruptLog`), the table needs a feature lake does not
 * implement (`UnsupportedFeature`), or its protocol action is illegal (`InvalidProtocol`).
 * `context.version` names the commit when known.
 */
export class ProtocolError extends LakeError {
  declare readonly code: ProtocolErrorCode
  constructor(code: ProtocolErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}

/** Codes a `TableError` carries. */
export type TableErrorCode = Extract<LakeErrorCode, 'TableNotFound' | 'VersionNotFound' | 'TimestampOutOfRange'>

/** The table, or the requested version/timestamp of it, does not exist. */
export class TableError extends LakeError {
  declare readonly code: TableErrorCode
  constructor(code: TableErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}

/** Codes a `SchemaError` carries. */
export type SchemaErrorCode = Extract<LakeErrorCode, 'SchemaMismatch' | 'InvalidArgument'>

/** A schema string or schema value is malformed (`InvalidArgument`) or does not fit (`SchemaMismatch`). */
export class SchemaError extends LakeError {
  declare readonly code: SchemaErrorCode
  constructor(code: SchemaErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}

/** A caller passed a value lake cannot use (an unparseable timestamp, a negative version, ...). */
export class InvalidArgumentError extends LakeError {
  declare readonly code: 'InvalidArgument'
  constructor(message: string, options: LakeErrorOptions = {}) {
    super('InvalidArgument', message, options)
  }
}

/** Codes a `WriteError` carries. */
export type WriteErrorCode = Extract<LakeErrorCode, 'TableExists' | 'InvalidArgument' | 'ConstraintViolation' | 'SafetyCheck' | 'UnsupportedFeature'>

/**
 * A write refused by a check before anything was written (wrong mode, bad options, rows that violate
 * replaceWhere or a constraint); nothing was written or committed and the table is unchanged.
 */
export class WriteError extends LakeError {
  declare readonly code: WriteErrorCode
  constructor(code: WriteErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}

/** Codes a `MaintenanceError` carries. */
export type MaintenanceErrorCode = Extract<LakeErrorCode, 'SafetyCheck' | 'InvalidArgument'>

/**
 * A maintenance operation (vacuum, optimize, restore, log cleanup) refused to run: `SafetyCheck` when
 * it could lose data a reader or writer still needs (vacuum retention under the table's, a restore
 * whose files were vacuumed), `InvalidArgument` for options it cannot use.
 */
export class MaintenanceError extends LakeError {
  declare readonly code: MaintenanceErrorCode
  constructor(code: MaintenanceErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}

/** Codes a `ChangeDataError` carries. */
export type ChangeDataErrorCode = Extract<LakeErrorCode, 'ChangeDataNotRecorded'>

/**
 * The change data feed cannot be read over the requested range: `ChangeDataNotRecorded` when a version
 * in it was committed without `delta.enableChangeDataFeed=true` (`context.version` names the first such
 * version, `context.start`/`context.end` the range), as Spark's `changeDataNotRecordedException`.
 */
export class ChangeDataError extends LakeError {
  declare readonly code: ChangeDataErrorCode
  constructor(code: ChangeDataErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}

/** Codes a `MergeError` carries. */
export type MergeErrorCode = Extract<LakeErrorCode, 'MultipleSourceRowsMatched' | 'SourceTooLarge' | 'InvalidArgument'>

/**
 * A MERGE refused: a target row matched by several source rows in an update or delete clause
 * (`MultipleSourceRowsMatched`, `context.key` the join key as SQL literals), a source over the memory
 * budget (`SourceTooLarge`, `context.bytes/limit`), or clauses lake cannot run (`InvalidArgument`).
 * Nothing was committed and files written for the attempt were deleted: the table is unchanged.
 */
export class MergeError extends LakeError {
  declare readonly code: MergeErrorCode
  constructor(code: MergeErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}

/** Codes a `StreamError` carries. */
export type StreamErrorCode = Extract<LakeErrorCode, 'UnsupportedChange' | 'SchemaChanged' | 'StreamMismatch' | 'CommitConflict' | 'InvalidArgument'>

/**
 * A table stream stopped (nothing of the failing batch was committed to its checkpoint):
 * - `UnsupportedChange`: a source commit changes or deletes existing rows (context `version`, `operation`);
 *   `ignoreDeletes`, `ignoreChanges` or `skipChangeCommits` let the stream go on.
 * - `SchemaChanged`: the source schema changed at `context.version`; `allowSchemaChange` continues.
 * - `StreamMismatch`: the checkpoint location belongs to another source table (`context.expected`, `found`).
 * - `CommitConflict`: another process planned or committed the same batch (`context.batchId`).
 * - `InvalidArgument`: options the stream cannot use (readChangeFeed with a skipping option: `context.option`).
 */
export class StreamError extends LakeError {
  declare readonly code: StreamErrorCode
  constructor(code: StreamErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}
