// File paths in add/remove/cdc actions are RFC 2396 URIs (PROTOCOL.md#Add File and Remove File):
// relative to the table root or absolute. This decodes them into store keys. Pure.

import { ProtocolError } from '../errors.js'

const ABSOLUTE_URI = /^[a-zA-Z][a-zA-Z0-9+.-]*:/

/** True when an action path is an absolute URI (`s3://b/k`, `file:/tmp/x`) rather than table-relative. */
export function isAbsolutePath(path: string): boolean {
  return ABSOLUTE_URI.test(path)
}

/**
 * The decoded form of an action path: percent-escapes resolved once (`a%20b` → `a b`,
 * `x%253A` → `x%3A`); `+` stays `+` (URIs, not form encoding).
 * @throws ProtocolError `CorruptLog` when the path holds a malformed escape.
 */
export function decodeFilePath(path: string): string {
  try {
    return decodeURIComponent(path)
  } catch (cause) {
    throw new ProtocolError('CorruptLog', `invalid file path '${path}': expected an RFC 2396 URI with valid %-escapes`, {
      cause,
      context: { path },
    })
  }
}

/** Sub-delimiters RFC 2396 allows raw in a path segment; kept readable like Spark (`col=value`). */
const KEEP_RAW = /%(3D|2B|40|24|26|2C|3B)/g

/**
 * Encodes a table-relative store key as an action path: the inverse of `decodeFilePath`.
 * `:` stays escaped so a first segment never reads as a URI scheme.
 */
export function encodeFilePath(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(KEEP_RAW, (escape) => decodeURIComponent(escape)))
    .join('/')
}
