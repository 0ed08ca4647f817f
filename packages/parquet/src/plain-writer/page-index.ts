// The page index of one column chunk (Parquet's ColumnIndex and OffsetIndex, which Spark, Trino and
// DuckDB use to skip pages): per data page its place in the file, its first row, its null count and
// its bounds, encoded as the column's PLAIN values (byte strings truncated as the footer's are). A
// chunk whose non-null page has no bounds (only NaN) gets no ColumnIndex, as the spec requires bounds.

import type { ColumnChunk, SchemaElement } from 'hyparquet'
import type { writeIndexes } from 'hyparquet-writer/src/indexes.js'
import { unconvertMinMax } from 'hyparquet-writer/src/unconvert.js'
import { compareBounds } from './chunk-stats.js'
import type { Bounds } from './chunk-stats.js'

/** What hyparquet-writer's `writeIndexes` writes for one column chunk. */
export type PageIndexes = Parameters<typeof writeIndexes>[1][number]

/** One data page as the page index records it. */
export interface PageEntry {
  readonly offset: number
  readonly compressedSize: number
  readonly firstRow: number
  readonly rows: number
  readonly nulls: number
  readonly bounds: Bounds | undefined
}

/** Orders successive pages' bounds: ascending, descending or neither. */
function boundaryOrder(pages: readonly PageEntry[]): 'ASCENDING' | 'DESCENDING' | 'UNORDERED' {
  let [ascending, descending] = [true, true]
  let previous: Bounds | undefined
  for (const { bounds } of pages) {
    if (bounds === undefined) continue
    if (previous !== undefined) {
      const [min, max] = [compareBounds(previous[0], bounds[0]), compareBounds(previous[1], bounds[1])]
      if (min > 0 || max > 0) ascending = false
      if (min < 0 || max < 0) descending = false
    }
    previous = bounds
  }
  return ascending ? 'ASCENDING' : descending ? 'DESCENDING' : 'UNORDERED'
}

/** The page index of `chunk` from its pages (for hyparquet-writer's `writeIndexes`, which skips chunks of one page). */
export function pageIndexes(chunk: ColumnChunk, element: SchemaElement, pages: readonly PageEntry[], truncate: number): PageIndexes {
  const offsetIndex = { page_locations: pages.map(p => ({ offset: BigInt(p.offset), compressed_page_size: p.compressedSize, first_row_index: BigInt(p.firstRow) })) }
  if (pages.some(p => p.bounds === undefined && p.nulls < p.rows)) return { chunk, offsetIndex }
  const columnIndex = {
    null_pages: pages.map(p => p.bounds === undefined),
    min_values: pages.map(p => (p.bounds === undefined ? new Uint8Array(0) : (unconvertMinMax(p.bounds[0], element, false, truncate) as Uint8Array))),
    max_values: pages.map(p => (p.bounds === undefined ? new Uint8Array(0) : (unconvertMinMax(p.bounds[1], element, true, truncate) as Uint8Array))),
    boundary_order: boundaryOrder(pages),
    null_counts: pages.map(p => BigInt(p.nulls)),
  }
  return { chunk, columnIndex, offsetIndex }
}
