// Key ordering shared by every store: byte order of the UTF-8 encoded key, as S3 lists keys.
// Must not use locale collation or JS string comparison (UTF-16 code units order astral characters differently).

const encoder = new TextEncoder()

/**
 * Compares two keys by the byte order of their UTF-8 encodings (what S3 `ListObjectsV2` returns).
 * @returns a negative number when `a` sorts first, 0 when equal, a positive number when `b` sorts first.
 */
export function compareKeys(a: string, b: string): number {
  return compareBytes(encoder.encode(a), encoder.encode(b))
}

/** Compares two byte strings lexicographically (shorter prefix first). */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    const d = (a[i] as number) - (b[i] as number)
    if (d !== 0) return d
  }
  return a.length - b.length
}
