// Hive-style partition directories (`col=value/...`) with Spark's path-name escaping
// (ExternalCatalogUtils.escapePathName), so a value can never add or climb a directory level.

import { setField } from '../parquet-values.js'
import { PartitionValueError } from './partition-value-error.js'

/** The directory name Hive and Spark use for a null (or empty) partition value. */
export const HIVE_DEFAULT_PARTITION = '__HIVE_DEFAULT_PARTITION__'

// Spark's set plus NUL: control chars, "#%'*/:=?\ DEL {[]^. '/' and '\' escaped means no separators.
const CHARS_TO_ESCAPE = new Set(['"', '#', '%', "'", '*', '/', ':', '=', '?', '\\', '\u007f', '{', '[', ']', '^'])

function needsEscaping(ch: string): boolean {
  const code = ch.charCodeAt(0)
  return code < 0x20 || CHARS_TO_ESCAPE.has(ch)
}

/** Escapes a column name or value for a path segment: each special char becomes `%XX` (upper hex). */
export function escapePathName(text: string): string {
  let out = ''
  for (const ch of text) {
    out += needsEscaping(ch) ? `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}` : ch
  }
  return out
}

/** Reverses `escapePathName`: `%XX` with two hex digits becomes the char; anything else is kept. */
export function unescapePathName(text: string): string {
  return text.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
}

/**
 * The relative partition directory of a file, `a=1/b=__HIVE_DEFAULT_PARTITION__`, in partition
 * column order. `values` holds serialized partition values; null or '' is the default partition.
 * The result is a raw path: URI-encode it before putting it into an add action's `path`.
 * @throws PartitionValueError when a partition column has no entry in `values`.
 */
export function partitionDirectory(
  partitionColumns: readonly string[],
  values: Readonly<Record<string, string | null>>,
): string {
  return partitionColumns
    .map((column) => {
      if (!Object.hasOwn(values, column)) {
        throw new PartitionValueError(`missing value for partition column '${column}': expected an entry in partitionValues`)
      }
      const value = values[column]
      const escaped = value === null || value === undefined || value === '' ? HIVE_DEFAULT_PARTITION : escapePathName(value)
      return `${escapePathName(column)}=${escaped}`
    })
    .join('/')
}

/**
 * Parses a partition directory path (`a=1/b=x%3Ay`) back into serialized values, unescaping both
 * names and values; `__HIVE_DEFAULT_PARTITION__` becomes null. Segments without `=` are ignored.
 */
export function parsePartitionDirectory(path: string): Record<string, string | null> {
  const values: Record<string, string | null> = {}
  for (const segment of path.split('/')) {
    const eq = segment.indexOf('=')
    if (eq <= 0) continue
    const value = segment.slice(eq + 1)
    setField(values, unescapePathName(segment.slice(0, eq)), value === HIVE_DEFAULT_PARTITION ? null : unescapePathName(value))
  }
  return values
}
