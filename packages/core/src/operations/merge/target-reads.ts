// Which target columns MERGE's pass decodes (docs/row-level-plan.md §5.3). With deletion vectors an
// unmatched target row stays where it is, so the first read of a candidate file needs only the columns
// ON and the clause conditions read (the probe). A post-image also needs the columns its clause's
// expressions read and the target columns it keeps: when those are not all in the probe, the update
// waits for a second read of that file with them (files without such updates are read once).
// Copy-on-write (copies of untouched rows) and the change data feed (pre-images, deleted rows) read
// whole rows. Pure.

import type { StructType } from '@lake/parquet'
import type { AddFile } from '../../actions/types.js'
import { planScan } from '../../scan/plan-scan.js'
import { compileFileReader } from '../../scan/read-scan-file.js'
import type { FileReader } from '../../scan/read-scan-file.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import type { MergePlan } from './plan.js'

/** The columns of the target pass's reads. */
export interface TargetReads {
  /** Columns every candidate file is first read with (schema order); undefined: all. */
  readonly probe: readonly string[] | undefined
  /** Columns of the second read, for files with a deferred post-image (schema order); undefined: all. */
  readonly image: readonly string[] | undefined
  /** Indexes of the update clauses whose post-images wait for the second read. */
  readonly deferred: ReadonlySet<number>
}

const ALL: TargetReads = { probe: undefined, image: undefined, deferred: new Set() }

/**
 * `names` in `schema`'s order, plus the first data column when none is one (a read needs a column of
 * the file to count its rows); undefined when that is every column.
 */
function readable(schema: StructType, partitionColumns: readonly string[], names: ReadonlySet<string>): string[] | undefined {
  const isData = (name: string): boolean => !partitionColumns.includes(name)
  const wanted = new Set(names)
  const firstData = schema.fields.find((f) => isData(f.name))
  if (firstData !== undefined && ![...wanted].some(isData)) wanted.add(firstData.name)
  const columns = schema.fields.filter((f) => wanted.has(f.name)).map((f) => f.name)
  return columns.length === schema.fields.length ? undefined : columns
}

/**
 * The reads of `plan`'s target pass over a table of `schema` (the table's, before any evolution).
 * @param changeDataFeed the table records changes (pre-images and deleted rows need every column)
 */
export function targetReads(plan: MergePlan, schema: StructType, partitionColumns: readonly string[], changeDataFeed: boolean): TargetReads {
  if (!plan.insertOnly && (plan.mode === 'copyOnWrite' || changeDataFeed)) return ALL
  const clauses = [...plan.matched, ...plan.notMatchedBySource]
  const probeNames = new Set([...plan.join.targetColumns, ...clauses.flatMap((c) => c.reads.condition)])
  const probe = readable(schema, partitionColumns, probeNames)
  if (probe === undefined) return ALL
  const inProbe = new Set(probe)
  const deferredClauses = clauses.filter((c) => c.action === 'update' && !c.reads.produce.every((name) => inProbe.has(name)))
  if (deferredClauses.length === 0) return { probe, image: probe, deferred: new Set() }
  const image = readable(schema, partitionColumns, new Set([...probe, ...deferredClauses.flatMap((c) => c.reads.produce)]))
  return { probe, image, deferred: new Set(deferredClauses.map((c) => c.index)) }
}

/**
 * The columns of the columnar executor's pass (docs/row-level-plan.md §5.7): ON's target columns. Its
 * MERGEs have no clause conditions and its post-images are source rows; copy-on-write reads the files it
 * rewrites again, whole, as Arrow (columnar-copy-on-write.ts). Undefined: every column.
 */
export function keyReads(plan: MergePlan, schema: StructType, partitionColumns: readonly string[]): readonly string[] | undefined {
  return readable(schema, partitionColumns, new Set(plan.join.targetColumns))
}

/** Reads `columns` of target rows (undefined: all). */
export function targetReader(snapshot: Pick<Snapshot, 'schema' | 'partitionColumns' | 'columnMappingMode'>, columns: readonly string[] | undefined): FileReader {
  const source = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode, files: (): AddFile[] => [] }
  return compileFileReader(planScan(source, columns === undefined ? {} : { columns }))
}
