// Footer-only reads: the Parquet metadata of a file through one ranged read at its end (two if large).

import { parquetMetadataAsync } from 'hyparquet'
import type { FileMetaData, SchemaElement } from 'hyparquet'
import { checkFooter, withMagicChecked } from './check-footer.js'
import { inFile, toParquetError } from './errors.js'
import type { AsyncBuffer } from './types.js'

/** One physical (leaf) column of a file. */
export interface ParquetColumnInfo {
  /** Names from the top-level column down to the leaf. */
  readonly path: readonly string[]
  /** Parquet physical type (`INT64`, `BYTE_ARRAY`, ...). */
  readonly physicalType: string
  readonly fieldId?: number
}

/** What a footer says about a file. */
export interface ParquetFileInfo {
  readonly numRows: number
  readonly rowGroups: readonly { readonly numRows: number; readonly totalByteSize: number }[]
  readonly columns: readonly ParquetColumnInfo[]
  readonly createdBy?: string
  readonly keyValueMetadata: Readonly<Record<string, string>>
}

/**
 * Read, parse and check the footer of `file` (hyparquet's metadata object).
 * @throws ParquetError when the file is too short or lacks 'PAR1' at either end, or its footer does
 * not parse; CorruptDataError when its parts disagree (see checkFooter).
 */
export async function readFooter(file: AsyncBuffer): Promise<FileMetaData> {
  let metadata: FileMetaData
  try {
    metadata = await withMagicChecked(file, parquetMetadataAsync)
  } catch (err) {
    throw toParquetError(err, `cannot read Parquet footer (file of ${file.byteLength} bytes)`)
  }
  checkFooter(metadata, file.byteLength)
  return metadata
}

function leafColumns(schema: readonly SchemaElement[]): ParquetColumnInfo[] {
  const out: ParquetColumnInfo[] = []
  let index = 1
  const walk = (count: number, path: readonly string[]): void => {
    for (let i = 0; i < count; i++) {
      const element = schema[index++]
      if (element === undefined) return
      const here = [...path, element.name]
      if (element.num_children) walk(element.num_children, here)
      else out.push({ path: here, physicalType: element.type ?? 'UNKNOWN', ...(element.field_id === undefined ? {} : { fieldId: element.field_id }) })
    }
  }
  walk(schema[0]?.num_children ?? 0, [])
  return out
}

/**
 * Row count, row groups, leaf columns and key/value metadata of a Parquet file, from its footer only.
 * `options.path` names the file in errors.
 * @throws ParquetError when the file is not Parquet or its footer is corrupt.
 */
export async function readParquetMetadata(file: AsyncBuffer, options: { readonly path?: string } = {}): Promise<ParquetFileInfo> {
  let metadata: FileMetaData
  try {
    metadata = await readFooter(file)
  } catch (err) {
    throw inFile(err, options.path)
  }
  const keyValueMetadata = Object.fromEntries((metadata.key_value_metadata ?? []).map(kv => [kv.key, kv.value ?? '']))
  return {
    numRows: Number(metadata.num_rows),
    rowGroups: metadata.row_groups.map(g => ({ numRows: Number(g.num_rows), totalByteSize: Number(g.total_byte_size) })),
    columns: leafColumns(metadata.schema),
    ...(metadata.created_by === undefined ? {} : { createdBy: metadata.created_by }),
    keyValueMetadata,
  }
}
