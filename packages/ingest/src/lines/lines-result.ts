// The outcome of a lines task as it crosses back from an encoder worker, and `linesFilesOf`, which
// rebuilds its error on the calling thread. Apart from encode-lines.ts so the main thread reads
// results without loading the parser and the encoders (Arrow builders, parquet-wasm).

import { SchemaError } from '@lake/core/encode'
import type { EncodedDataFile } from '@lake/core/encode'
import type { ErrorContext } from '@lake/storage'
import { IngestError } from '../errors.js'
import { filesOf } from '../encode/encode-result.js'
import type { EncodeResult } from '../encode/encode-result.js'

/** The outcome of a lines task: an `EncodeResult`, or the first line that is not a record. */
export type LinesResult =
  | EncodeResult
  | { readonly status: 'invalid'; readonly code: string; readonly message: string; readonly line: number }

/**
 * The files of a result, or its error: a line that is not a record is IngestError `InvalidArgument`
 * (SchemaError `SchemaMismatch` for a number its long column cannot hold), with context
 * `{ line, record }` (`record`: the invalid record's code, e.g. `InvalidJson`); see `filesOf` for the rest.
 */
export function linesFilesOf(result: LinesResult): EncodedDataFile[] {
  if (result.status !== 'invalid') return filesOf(result)
  const context: ErrorContext = { line: result.line, record: result.code }
  if (result.code === 'SchemaMismatch') throw new SchemaError('SchemaMismatch', result.message, { context })
  throw new IngestError('InvalidArgument', result.message, { context })
}
