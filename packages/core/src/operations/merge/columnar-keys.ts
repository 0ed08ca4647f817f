// The columnar MERGE's target reads by column (docs/row-level-plan.md §5.7): when every equi-key's
// target side is a flat data column of the table, a candidate file's key columns are decoded as
// columns (`codec.readColumns`, safe longs as numbers: no row objects, no expression and no bigint per
// row) and each live row's key values looked up in the source's hash (a single integral key's whole
// column in one loop), its matches handed on with its physical row index. The next candidate file's
// key columns are read while this one is probed (`readKeysAhead`). A codec without column reads sends
// the pass to read rows.

import type { ColumnBatch, ParquetCodec, Value } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import { engineCodec } from '../../engine.js'
import type { Engine } from '../../engine.js'
import { readDeletionVector } from '../../read/read-deletion-vector.js'
import { storeAsyncBuffer } from '../../read/store-buffer.js'
import { dataFileKey } from '../../scan/read-scan-file.js'
import type { FileReader } from '../../scan/read-scan-file.js'
import { NO_MATCH, REPEATED } from './columnar-hash.js'
import type { ColumnHash, KeyMatches } from './columnar-hash.js'
import type { MergePlan } from './plan.js'

type ReadColumns = NonNullable<ParquetCodec['readColumns']>

/** How the pass reads key columns: the codec's column reader and, per equi-key, its column in the read. */
export interface KeyColumns {
  readonly readColumns: ReadColumns
  readonly columns: readonly number[]
}

/**
 * The key columns of `plan` in `reader`'s reads, or undefined when the pass must read rows (a codec
 * without column reads). The columnar route takes integral and string keys of unpartitioned tables only,
 * so every key's target side is a flat data column of the read.
 */
export function keyColumns(engine: Engine, reader: FileReader, plan: MergePlan): KeyColumns | undefined {
  const codec = engineCodec(engine)
  if (codec.readColumns === undefined) return undefined
  const fields = reader.plan.dataFields
  const columns = plan.join.keys.map((key) => fields.findIndex((f) => f.name === key.targetColumn))
  // Stryker disable next-line ConditionalExpression: unreachable (see above); kept so a key outside the read never probes as NULL
  if (columns.includes(-1)) return undefined
  return { readColumns: codec.readColumns.bind(codec), columns }
}

/** One candidate file's key columns as read: its live rows' keys come out of `batches`, minus `deleted`. */
export interface KeyRead {
  /** The file's deletion vector's rows, sorted; undefined without one. */
  readonly deleted: ArrayLike<number> | undefined
  readonly batches: readonly ColumnBatch[]
}

/** Reads `file`'s key columns (and its deletion vector) whole: a read the pass can start before it probes the file before. */
export async function readKeyColumns(engine: Engine, reader: FileReader, keys: KeyColumns, file: AddFile, signal: AbortSignal | undefined): Promise<KeyRead> {
  const { store } = engine
  const deleted = file.deletionVector ? await readDeletionVector(store, file.deletionVector, { signal }) : undefined
  const key = dataFileKey(store, file.path)
  const buffer = await storeAsyncBuffer(store, key, file.size, signal)
  // Stryker disable next-line ConditionalExpression,StringLiteral,EqualityOperator: the columnar route runs only on tables without column mapping (columnarWriterFor), where columns match by name
  const matchBy = reader.plan.columnMappingMode === 'id' ? 'id' : 'name'
  // Safe int64 keys come as numbers, as the hash keys them: no bigint is made per target row.
  const options = { columns: reader.readColumns, matchBy, path: key, safeLongs: true, ...(signal === undefined ? {} : { signal }) } as const
  const batches: ColumnBatch[] = []
  for await (const batch of keys.readColumns(buffer, reader.readSchema, options) as AsyncIterable<ColumnBatch>) batches.push(batch)
  return { deleted, batches }
}

/**
 * `readKeyColumns` of every file, each started when the one before is handed out (one read ahead of the
 * probe, so the next file's I/O runs while this one is probed). A read the caller never takes has its
 * failure ignored.
 */
export function* readKeysAhead(read: (file: AddFile) => Promise<KeyRead>, files: readonly AddFile[]): Generator<Promise<KeyRead>, void, undefined> {
  let next: Promise<KeyRead> | undefined
  for (const [i, file] of files.entries()) {
    const current = next ?? read(file)
    const after = files[i + 1]
    // Stryker disable next-line ConditionalExpression: a read past the last file (of undefined) fails, and is ignored as any read the caller never takes
    next = after === undefined ? undefined : read(after)
    next?.catch(() => {})
    yield current
  }
}

/**
 * Looks up the key values of every live row of a file read by `readKeyColumns` (its deletion vector's
 * rows skipped) in `hash` (a single key's whole column at once when the hash can) and calls
 * `record(matches, rowIndex)` for each row that matched, with its physical row index; stops when
 * `record` returns false.
 * @returns the number of live rows, or undefined when `record` stopped.
 */
export function probeKeyColumns(read: KeyRead, keys: KeyColumns, hash: ColumnHash, record: (matches: number | readonly number[], rowIndex: number) => boolean): number | undefined {
  const { deleted, batches } = read
  // Stryker disable next-line ArrayDeclaration: a buffer every row fills whole
  const values: Value[] = new Array<Value>(keys.columns.length)
  let offset = 0
  let cursor = 0
  for (const batch of batches) {
    const columns = keys.columns.map((k) => batch.columns[k] as readonly Value[])
    // Stryker disable next-line ConditionalExpression,EqualityOperator: only a single key's hash has lookupColumn; without it every row goes through lookup, to the same matches
    const found = columns.length === 1 ? hash.lookupColumn?.(columns[0] as readonly Value[]) : undefined
    // Stryker disable next-line EqualityOperator: a row past the batch's end has undefined keys, which match no source row
    for (let i = 0; i < batch.length; i++) {
      const index = offset + i
      if (deleted !== undefined) {
        // `deleted` is sorted: walk it alongside the ascending positions (past its end `deleted[cursor]` is undefined, never < index).
        while ((deleted[cursor] as number) < index) cursor++
        if (deleted[cursor] === index) continue
      }
      let matches: KeyMatches
      if (found === undefined) {
        for (let k = 0; k < columns.length; k++) values[k] = (columns[k] as readonly Value[])[i] as Value
        matches = hash.lookup(values)
      } else {
        const first = found[i] as number
        if (first === NO_MATCH) continue
        // Stryker disable next-line ConditionalExpression: `lookup` of any matched value finds the same rows (only slower)
        matches = first === REPEATED ? hash.lookup([(columns[0] as readonly Value[])[i] as Value]) : first
      }
      if (matches !== undefined && !record(matches, index)) return undefined
    }
    offset += batch.length
  }
  return offset - (deleted?.length ?? 0)
}
