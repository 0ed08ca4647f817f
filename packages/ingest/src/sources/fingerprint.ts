// Stable fingerprints of source configurations: SHA-256 of the canonical (sorted-key) JSON.

import { createHash } from 'node:crypto'
import stableStringify from 'fast-json-stable-stringify'

/** `kind:` + the hex SHA-256 of the canonical JSON of `config` (key order never matters). */
export function fingerprintOf(kind: string, config: unknown): string {
  return `${kind}:${createHash('sha256').update(stableStringify(config)).digest('hex')}`
}

/** Canonical JSON of a value (sorted keys), for comparing offsets. */
export function canonicalJson(value: unknown): string {
  return stableStringify(value)
}
