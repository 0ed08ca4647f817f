// One NDJSON line as a source record: the JSON object, or why it is not one (an `invalid` record
// with its code and a message naming the line). Shared by `NdjsonSource` and the encoder workers,
// which parse chunks of lines themselves.

import type { StructType } from '@lake/parquet'
import { isLakeError } from '@lake/storage'
import { parseRecordLine } from './exact-numbers.js'
import type { SourceRecord } from './source.js'

/**
 * Parses `text` (line `line`, without its terminator or a leading BOM) for a table of `schema`:
 * a `record` holding the object, or an `invalid` record with code `InvalidJson` (malformed, or nested
 * deeper than `maxDepth`), `NotAnObject`, or `SchemaMismatch` (a number its long column cannot hold).
 */
export function parseNdjsonLine(text: string, line: number, schema: StructType | undefined, maxDepth: number | undefined): SourceRecord {
  let value: unknown
  try {
    value = parseRecordLine(text, schema, maxDepth === undefined ? {} : { maxDepth })
  } catch (err) {
    if (!isLakeError(err)) throw err
    const code = err.code === 'SchemaMismatch' ? err.code : 'InvalidJson'
    return { kind: 'invalid', raw: text, code, message: `line ${line}: ${err.message}`, position: line }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { kind: 'invalid', raw: text, code: 'NotAnObject', message: `line ${line}: expected a JSON object, found ${Array.isArray(value) ? 'an array' : JSON.stringify(value)}`, position: line }
  }
  return { kind: 'record', value, position: line }
}
