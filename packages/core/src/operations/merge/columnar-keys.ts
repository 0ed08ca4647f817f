// The columnar MERGE's target reads by column (docs/row-level-plan.md §5.7): when every equi-key's
// target side is a flat data column of the table, a candidate file's key columns are decoded as
// columns (`codec.readColumns`, no row objects, no expression per row) and each live row's key values
// handed to the probe with its physical row index. Otherwise (a key that is an expression or a
// partition column, a codec without column reads) the pass reads rows.

import type { ColumnBatch, ParquetCodec, Value } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import { engineCodec } from '../../engine.js'
import type { Engine } from '../../engine.js'
import { readDeletionVector } from '../../read/read-deletion-vector.js'
import { storeAsyncBuffer } from '../../read/store-buffer.js'
import { dataFileKey } from '../../scan/read-scan-file.js'
import type { FileReader } from '../../scan/read-scan-file.js'
import type { MergePlan } from './plan.js'

type ReadColumns = NonNullable<ParquetCodec['readColumns']>

/** How the pass reads key columns: the codec's column reader and, per equi-key, its column in the read. */
export interface KeyColumns {
  readonly readColumns: ReadColumns
  readonly columns: readonly number[]
}

const FLAT_KINDS: ReadonlySet<string> = new Set(['primitive', 'decimal'])

/** The key columns of `plan` in `reader`'s reads, or undefined when the pass must read rows. */
export function keyColumns(engine: Engine, reader: FileReader, plan: MergePlan): KeyColumns | undefined {
  const codec = engineCodec(engine)
  if (codec.readColumns === undefined) return undefined
  const fields = reader.plan.dataFields
  const columns: number[] = []
  for (const key of plan.join.keys) {
    const k = fields.findIndex((f) => f.name === key.targetColumn)
    if (k < 0 || !FLAT_KINDS.has((fields[k] as (typeof fields)[number]).type.kind)) return undefined
    columns.push(k)
  }
  return { readColumns: codec.readColumns.bind(codec), columns }
}

/**
 * Calls `probe(values, rowIndex)` for every live row of `file` (its deletion vector's rows skipped) with
 * its key values (`values`, reused between calls) and physical row index; stops when `probe` returns false.
 * @returns the number of live rows read, or undefined when `probe` stopped the read.
 */
export async function probeKeyColumns(engine: Engine, reader: FileReader, keys: KeyColumns, file: AddFile, signal: AbortSignal | undefined, probe: (values: Value[], rowIndex: number) => boolean): Promise<number | undefined> {
  const { store } = engine
  const deleted = file.deletionVector ? await readDeletionVector(store, file.deletionVector, { signal }) : undefined
  const key = dataFileKey(store, file.path)
  const buffer = await storeAsyncBuffer(store, key, file.size, signal)
  const matchBy = reader.plan.columnMappingMode === 'id' ? 'id' : 'name'
  const options = { columns: reader.readColumns, matchBy, path: key, ...(signal === undefined ? {} : { signal }) } as const
  // Stryker disable next-line ArrayDeclaration: a buffer every row fills whole
  const values: Value[] = new Array<Value>(keys.columns.length)
  let offset = 0
  let cursor = 0
  for await (const batch of keys.readColumns(buffer, reader.readSchema, options) as AsyncIterable<ColumnBatch>) {
    const columns = keys.columns.map((k) => batch.columns[k] ?? [])
    for (let i = 0; i < batch.length; i++) {
      const index = offset + i
      if (deleted !== undefined) {
        // `deleted` is sorted: walk it alongside the ascending positions; rows it holds are gone already.
        while (cursor < deleted.length && (deleted[cursor] as number) < index) cursor++
        if (deleted[cursor] === index) continue
      }
      for (let k = 0; k < columns.length; k++) values[k] = (columns[k] as readonly Value[])[i] as Value
      if (!probe(values, index)) return undefined
    }
    offset += batch.length
  }
  return offset - (deleted?.length ?? 0)
}
