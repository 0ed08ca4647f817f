// The outcome of encoding a chunk as it crosses back from an encoder worker: files, or the error as
// data, and `filesOf`, which rebuilds the error on the calling thread. Apart from encode-chunk.ts so
// the main thread reads results without loading the encoders (Arrow builders, parquet-wasm).

import { SchemaError } from '@lake/core/encode'
import type { EncodedDataFile } from '@lake/core/encode'
import { ParquetError } from '@lake/parquet/rows'
import type { ErrorContext, LakeErrorCode } from '@lake/storage'
import { IngestError, isIngestErrorCode } from '../errors.js'

/** The outcome of a task: files, or the error as data (custom error fields do not survive a worker boundary). */
export type EncodeResult =
  | { readonly status: 'encoded'; readonly files: EncodedDataFile[] }
  | { readonly status: 'failed'; readonly code: LakeErrorCode; readonly message: string; readonly context: ErrorContext }

/**
 * The files of a result, or its error rebuilt as the matching `LakeError` subclass: `SchemaError`
 * for schema codes, `ParquetError` for the codec, `IngestError` otherwise (a code an `IngestError`
 * cannot carry becomes `Unknown`, with the original in `context.code`).
 */
export function filesOf(result: EncodeResult): EncodedDataFile[] {
  if (result.status === 'encoded') return result.files
  const { code, message, context } = result
  if (code === 'SchemaMismatch' || code === 'InvalidArgument') throw new SchemaError(code, message, { context })
  if (code === 'ParquetError') throw new ParquetError(message, { context })
  if (isIngestErrorCode(code)) throw new IngestError(code, message, { context })
  throw new IngestError('Unknown', message, { context: { ...context, code } })
}
