// Renders table values exactly: int64 (bigint) as all its digits, decimals, dates and microsecond
// timestamps as the strings the core returns, binary as base64, maps and structs as JSON. Pure.

/**
 * Exact JSON text of a value. bigint is written as a bare JSON number with every digit (jq and
 * `JSON.parse` with a reviver keep it; plain `JSON.parse` rounds past 2^53); binary as a base64
 * string; a Map as an object when its keys are strings, else as `[{"key":..,"value":..}]`;
 * non-finite floats as the strings "NaN", "Infinity", "-Infinity".
 */
export function jsonText(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  switch (typeof value) {
    case 'bigint':
      return value.toString()
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : JSON.stringify(String(value))
    case 'string':
      return JSON.stringify(value)
    case 'boolean':
      return value ? 'true' : 'false'
    default:
      return jsonObject(value)
  }
}

function jsonObject(value: unknown): string {
  if (value instanceof Uint8Array) return JSON.stringify(base64(value))
  if (value instanceof Date) return JSON.stringify(value.toISOString())
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`
  if (value instanceof Map) {
    const entries = [...(value as Map<unknown, unknown>).entries()]
    if (entries.every(([k]) => typeof k === 'string')) return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`
    return `[${entries.map(([k, v]) => `{"key":${jsonText(k)},"value":${jsonText(v)}}`).join(',')}]`
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`).join(',')}}`
  }
  return JSON.stringify(String(value))
}

/** The text of a value in a table cell or CSV field: scalars as is (null as ''), nested values as JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined) return ''
  switch (typeof value) {
    case 'string':
      return value
    case 'bigint':
    case 'number':
    case 'boolean':
      return String(value)
    default:
      if (value instanceof Uint8Array) return base64(value)
      if (value instanceof Date) return value.toISOString()
      return jsonText(value)
  }
}

/** Standard base64 of bytes. */
export function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/** An epoch-ms instant as ISO-8601 UTC with milliseconds. */
export function isoTime(ms: number | null | undefined): string | null {
  return ms === null || ms === undefined || !Number.isFinite(ms) ? null : new Date(ms).toISOString()
}
