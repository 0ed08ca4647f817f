// The error model shared by every lake package: one base class with a closed code union, a retryable
// flag, context values and a cause. Storage adapters map foreign errors into these once, at the boundary.

/** Every code a lake error can carry. Callers branch on `code`, never on message text. */
export type LakeErrorCode =
  // storage
  | 'NotFound'
  | 'AlreadyExists'
  | 'PermissionDenied'
  | 'InvalidPath'
  | 'InvalidArgument'
  | 'InvalidConfig'
  | 'Unavailable'
  | 'Timeout'
  | 'Aborted'
  | 'Unsupported'
  | 'Unknown'
  // table and protocol
  | 'TableNotFound'
  | 'TableExists'
  | 'VersionNotFound'
  | 'TimestampOutOfRange'
  | 'CorruptLog'
  | 'UnsupportedFeature'
  | 'InvalidProtocol'
  | 'SchemaMismatch'
  | 'InvalidPredicate'
  | 'ArithmeticError'
  | 'InvalidCast'
  | 'ConstraintViolation'
  | 'CommitConflict'
  | 'CommitAttemptsExhausted'
  | 'ParquetError'
  | 'CorruptData'
  | 'SafetyCheck'
  // change data feed
  | 'ChangeDataNotRecorded'
  // ingestion jobs
  | 'JobMismatch'
  | 'TooManyBadRecords'
  // MERGE
  | 'MultipleSourceRowsMatched'
  | 'SourceTooLarge'
  // table streams
  | 'UnsupportedChange'
  | 'SchemaChanged'
  | 'StreamMismatch'

/** Context values attached to an error: which method, path, version, column, ... */
export type ErrorContext = Readonly<Record<string, string | number | boolean | undefined>>

export interface LakeErrorOptions {
  readonly retryable?: boolean
  readonly context?: ErrorContext
  readonly cause?: unknown
}

/** Base class of every error thrown by lake. */
export class LakeError extends Error {
  readonly code: LakeErrorCode
  readonly retryable: boolean
  readonly context: ErrorContext

  constructor(code: LakeErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = new.target.name
    this.code = code
    this.retryable = options.retryable ?? false
    this.context = options.context ?? {}
  }
}

/** Codes a storage backend may throw. */
export type StorageErrorCode = Extract<
  LakeErrorCode,
  | 'NotFound'
  | 'AlreadyExists'
  | 'PermissionDenied'
  | 'InvalidPath'
  | 'InvalidArgument'
  | 'InvalidConfig'
  | 'Unavailable'
  | 'Timeout'
  | 'Aborted'
  | 'Unsupported'
  | 'Unknown'
>

/** An I/O failure from an `ObjectStore`. `context.method` and `context.path` say where. */
export class StorageError extends LakeError {
  declare readonly code: StorageErrorCode
  constructor(code: StorageErrorCode, message: string, options: LakeErrorOptions = {}) {
    super(code, message, options)
  }
}

/** True when `err` is a `LakeError` with the given code. */
export function isLakeError(err: unknown, code?: LakeErrorCode): err is LakeError {
  return err instanceof LakeError && (code === undefined || err.code === code)
}

/** The `AbortSignal`'s reason as an `Aborted` error, thrown when the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, method: string): void {
  if (signal?.aborted) {
    throw new StorageError('Aborted', `${method} was aborted`, { context: { method }, cause: signal.reason })
  }
}
