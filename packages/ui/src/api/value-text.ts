// The exact text of a table value for the page: int64 (bigint) with every digit, decimals, dates
// and microsecond timestamps as the strings the core returns, binary as hex, nested values as JSON
// whose scalars are written the same way. The page shows these strings with textContent. Pure.

/** Text of a value; `null` for SQL NULL. */
export function valueText(value: unknown): string | null {
  if (value === null || value === undefined) return null
  switch (typeof value) {
    case 'string':
      return value
    case 'bigint':
    case 'boolean':
      return String(value)
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value)
    default:
      return value instanceof Uint8Array ? hex(value) : nestedText(value)
  }
}

/** Lower-case hex of bytes, two digits each. */
export function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')
}

function nestedText(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(jsonOf).join(', ')}]`
  if (value instanceof Map) {
    const entries = [...(value as Map<unknown, unknown>).entries()]
    return `{${entries.map(([k, v]) => `${jsonOf(k)}: ${jsonOf(v)}`).join(', ')}}`
  }
  if (typeof value === 'object' && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined)
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}: ${jsonOf(v)}`).join(', ')}}`
  }
  return String(value)
}

/** A nested element: strings quoted, numbers and bigints bare, binary as a quoted hex string. */
function jsonOf(value: unknown): string {
  if (value === null || value === undefined) return 'null'
  if (typeof value === 'string') return JSON.stringify(value)
  if (value instanceof Uint8Array) return JSON.stringify(hex(value))
  if (typeof value === 'object') return nestedText(value)
  return valueText(value) ?? 'null'
}
