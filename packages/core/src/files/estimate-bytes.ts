// A cheap in-memory size estimate of a row or value, used only to cut files and chunks by bytes.
// Encoded Parquet is usually several times smaller, so estimates err towards smaller files.

/** Rough bytes of a value: strings by length, numbers 8, containers recursively. */
export function estimateBytes(value: unknown): number {
  if (value === null || value === undefined) return 1
  switch (typeof value) {
    case 'string':
      return value.length + 4
    case 'number':
    case 'bigint':
      return 8
    case 'boolean':
      return 1
    case 'object':
      return estimateObjectBytes(value)
    default:
      return 8
  }
}

function estimateObjectBytes(value: object): number {
  if (value instanceof Uint8Array) return value.byteLength + 4
  if (value instanceof Date) return 8
  let bytes = 4
  if (Array.isArray(value)) {
    for (const v of value) bytes += estimateBytes(v)
  } else if (value instanceof Map) {
    for (const [k, v] of value) bytes += estimateBytes(k) + estimateBytes(v)
  } else {
    for (const v of Object.values(value)) bytes += estimateBytes(v)
  }
  return bytes
}
