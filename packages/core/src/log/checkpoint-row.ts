// Conversion of a checkpoint Parquet row (bigint longs, Map maps) into the JSON-shaped value the
// action parser reads. Pure.

import { ProtocolError } from '../errors.js'

/**
 * The JSON-shaped form of a Parquet value: `bigint` → `number` (must be a safe integer),
 * `Map` → plain object, arrays and objects converted recursively.
 * @throws ProtocolError `CorruptLog` when a long exceeds 2^53 (versions, sizes and timestamps never do).
 */
export function toJsonValue(value: unknown, file: string): unknown {
  if (typeof value === 'bigint') {
    const n = Number(value)
    if (!Number.isSafeInteger(n)) {
      throw new ProtocolError('CorruptLog', `checkpoint ${file}: expected a long within 2^53, found ${value}`, { context: { path: file } })
    }
    return n
  }
  if (value instanceof Map) {
    const obj: Record<string, unknown> = {}
    for (const [k, v] of value) obj[String(k)] = toJsonValue(v, file)
    return obj
  }
  if (Array.isArray(value)) return value.map((v: unknown) => toJsonValue(v, file))
  if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) {
    const source = value as Readonly<Record<string, unknown>>
    const obj: Record<string, unknown> = {}
    for (const k of Object.keys(source)) obj[k] = toJsonValue(source[k], file)
    return obj
  }
  return value
}
