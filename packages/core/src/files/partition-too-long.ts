// Turns a storage error caused by an over-long data file name (`ENAMETOOLONG` from a local file
// system) into an error about the partition value that made the name too long. Pure.

import { LakeError } from '@lake/storage'
import { unescapePathName } from '../partition/hive-path.js'
import { SchemaError } from '../errors.js'

/** The longest directory name most file systems allow (ext4, xfs, APFS, NTFS). */
const NAME_MAX_BYTES = 255 // bytes

/**
 * A `SchemaError` `SchemaMismatch` "partition value too long (N bytes) for column c" when `err`
 * is a storage error with errno `ENAMETOOLONG` writing `key`; N is the byte length of the value
 * as the log stores it, c the column whose directory name (`c=<escaped value>`) is the longest.
 * `undefined` for any other error, or for a key without partition directories.
 */
export function partitionTooLongError(err: unknown, key: string, partitionValues: Readonly<Record<string, string | null>>): SchemaError | undefined {
  if (!(err instanceof LakeError) || err.context['errno'] !== 'ENAMETOOLONG') return undefined
  const encoder = new TextEncoder()
  const segments = key.split('/').slice(0, -1)
  const longest = segments.reduce<string | undefined>((a, s) => (a === undefined || encoder.encode(s).length > encoder.encode(a).length ? s : a), undefined)
  if (longest === undefined || !longest.includes('=')) return undefined
  const column = unescapePathName(longest.slice(0, longest.indexOf('=')))
  const value = Object.hasOwn(partitionValues, column) ? (partitionValues[column] ?? '') : ''
  const bytes = encoder.encode(value).length
  const dirBytes = encoder.encode(longest).length
  return new SchemaError(
    'SchemaMismatch',
    `partition value too long (${bytes} bytes) for column '${column}': its directory name '${column}=…' is ${dirBytes} bytes after escaping, ` +
      `expected at most ${NAME_MAX_BYTES} bytes (the file system refused the name)`,
    { context: { column, bytes, path: key }, cause: err },
  )
}
