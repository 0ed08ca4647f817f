// The HTTP status and JSON body of an error an endpoint threw: lake errors by their code (a bad
// parameter or filter 400, a missing version or table 404, a table lake cannot read 422), anything else 500.

import { isLakeError } from '@lake/storage'
import type { LakeErrorCode } from '@lake/storage'
import type { ContentfulStatusCode } from 'hono/utils/http-status'

const STATUS: Partial<Record<LakeErrorCode, ContentfulStatusCode>> = {
  InvalidArgument: 400,
  InvalidPredicate: 400,
  SchemaMismatch: 400,
  NotFound: 404,
  TableNotFound: 404,
  VersionNotFound: 404,
  TimestampOutOfRange: 404,
  UnsupportedFeature: 422,
  InvalidProtocol: 422,
  CorruptLog: 422,
}

export interface ErrorBody {
  readonly status: ContentfulStatusCode
  readonly body: { readonly error: { readonly code: string; readonly message: string; readonly context: Readonly<Record<string, unknown>> } }
}

/** The response to `err`. */
export function errorBody(err: unknown): ErrorBody {
  if (isLakeError(err)) {
    return { status: STATUS[err.code] ?? 500, body: { error: { code: err.code, message: err.message, context: err.context } } }
  }
  const message = err instanceof Error ? err.message : String(err)
  return { status: 500, body: { error: { code: 'Unknown', message, context: {} } } }
}
