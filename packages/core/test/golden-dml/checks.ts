// Checks of the golden DML test that look at files: the deletion vectors lake wrote follow the
// protocol's byte format (and a file that had a DV keeps its deleted rows), and DuckDB's
// read_parquet of the live data files, minus each file's DV, holds the expected rows.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import type { DuckDBConnection } from '@duckdb/node-api'
import type { ObjectStore } from '@lake/storage'
import { expect } from 'vitest'
import type { AddFile, DeletionVectorDescriptor } from '../../src/index.js'
import { DV_PORTABLE_MAGIC, decodeFilePath, deletionVectorRelativePath, encodeDeletionVectorBitmap, readDeletionVector, z85Decode } from '../../src/internal.js'

const DV_FILE_VERSION = 1

/** The bitmap bytes of a descriptor, checked against the framing of a DV file (`u`) or taken inline (`i`). */
function storedBitmap(root: string, dv: DeletionVectorDescriptor): Uint8Array {
  if (dv.storageType === 'i') return z85Decode(dv.pathOrInlineDv, dv.sizeInBytes)
  expect(dv.storageType).toBe('u')
  const file = readFileSync(join(root, deletionVectorRelativePath(dv.pathOrInlineDv)))
  expect(file[0]).toBe(DV_FILE_VERSION)
  const offset = dv.offset ?? 0
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength)
  expect(view.getUint32(offset)).toBe(dv.sizeInBytes)
  const bitmap = file.subarray(offset + 4, offset + 4 + dv.sizeInBytes)
  expect(view.getUint32(offset + 4 + dv.sizeInBytes)).toBe(crc32(bitmap))
  return bitmap
}

/**
 * A deletion vector lake wrote follows the byte format: the file's version byte, the big-endian size
 * and CRC-32 around the bitmap, the portable magic, the cardinality, and exactly the bytes lake's
 * encoder gives for the rows lake's reader decodes. Returns the deleted row indexes.
 */
export async function checkDeletionVectorBytes(root: string, store: ObjectStore, dv: DeletionVectorDescriptor): Promise<number[]> {
  const bitmap = storedBitmap(root, dv)
  expect(new DataView(bitmap.buffer, bitmap.byteOffset, bitmap.byteLength).getUint32(0, true)).toBe(DV_PORTABLE_MAGIC)
  const rows = [...(await readDeletionVector(store, dv))]
  expect(rows).toHaveLength(dv.cardinality)
  expect(Buffer.from(encodeDeletionVectorBitmap(rows).bitmap).equals(Buffer.from(bitmap))).toBe(true)
  return rows
}

/** A value as text, the way both DuckDB's JSON rows and lake's typed rows can be compared. */
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v))

/**
 * The live rows of `files` as DuckDB reads them: read_parquet of each data file with its row numbers,
 * minus the rows of the file's deletion vector, partition values from the add action; each row as
 * canonical text of `columns`, sorted. `physical` maps a column to the name its files and partition
 * values use (column mapping; absent: the column's own name).
 */
export async function duckDbRows(con: DuckDBConnection, root: string, store: ObjectStore, files: readonly AddFile[], columns: readonly string[], physical: ReadonlyMap<string, string> = new Map()): Promise<string[]> {
  const out: string[] = []
  for (const file of files) {
    const deleted = new Set(file.deletionVector ? [...(await readDeletionVector(store, file.deletionVector))] : [])
    const path = join(root, decodeFilePath(file.path)).replaceAll("'", "''")
    const result = await con.runAndReadAll(`SELECT * FROM read_parquet('${path}', file_row_number = true, hive_partitioning = false)`)
    for (const row of result.getRowObjectsJson()) {
      if (deleted.has(Number(row['file_row_number']))) continue
      const stored = columns.map((c) => physical.get(c) ?? c)
      out.push(JSON.stringify(stored.map((c) => text(c in file.partitionValues ? file.partitionValues[c] : row[c]))))
    }
  }
  return out.sort()
}

/** Rows as the same canonical text `duckDbRows` gives. */
export function textRows(rows: readonly Record<string, unknown>[], columns: readonly string[]): string[] {
  return rows.map((r) => JSON.stringify(columns.map((c) => text(r[c])))).sort()
}
