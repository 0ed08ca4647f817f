// replaceWhere: the predicate an overwrite replaces, the check that every new row satisfies it, and
// the plan of which live files are removed or rewritten (files straddling the predicate keep their
// non-matching rows in a new file). Row constraints of the table are enforced here too.
//
//   await writeDelta('s3://lake/events', rows, { mode: 'overwrite', replaceWhere: "day >= '2024-05-01'" })

import type { Row, StructType } from '@lake/parquet'
import type { AddFile, RemoveFile } from '../../actions/types.js'
import type { Engine } from '../../engine.js'
import { removeOf } from '../../actions/remove-of.js'
import { evaluateRow } from '../../expr/index.js'
import { compileFilePredicate } from '../../expr/file-predicate.js'
import type { FilePredicate } from '../../expr/file-predicate.js'
import { scan } from '../../scan/scan.js'
import type { Snapshot } from '../../snapshot/snapshot.js'
import { bindConstraints, enforceConstraints } from '../../rows/row-constraints.js'
import { writeDataFiles } from '../../files/write-data-files.js'
import { WriteError } from '../../errors.js'
import type { ColumnMappingMode } from '../../schema/column-mapping.js'

/** A bound replaceWhere predicate: the rows it matches are replaced, every new row must match it. */
export type CompiledReplaceWhere = FilePredicate

/** The files a replaceWhere removes, the files holding rows it keeps, and what it read. */
export interface ReplaceWherePlan {
  readonly removes: readonly RemoveFile[]
  /** New files with the rows of removed files that do not match the predicate (dataChange=true). */
  readonly rewritten: readonly AddFile[]
  readonly rowsKept: number
  readonly readFiles: readonly string[]
}

/**
 * Parses and binds a replaceWhere predicate against the table schema.
 * @throws PredicateError `InvalidPredicate` naming the column or position.
 */
export function compileReplaceWhere(text: string, schema: StructType, partitionColumns: readonly string[], columnMappingMode: ColumnMappingMode = 'none'): CompiledReplaceWhere {
  return compileFilePredicate(text, schema, partitionColumns, { columnMappingMode })
}

/**
 * Rejects the write when a new row does not satisfy the replaceWhere predicate (false or null) or a
 * table constraint (invariants, CHECK constraints). Runs before the rows' files are written.
 * @param firstRow - index of `rows[0]` in the whole input, for messages
 * @throws WriteError `ConstraintViolation` naming the row and the predicate.
 */
export function checkRowConstraints(
  rows: readonly Row[],
  replace: CompiledReplaceWhere | undefined,
  schema: StructType,
  configuration: Readonly<Record<string, string>>,
  firstRow = 0,
): void {
  if (replace !== undefined) {
    const index = rows.findIndex((row) => !evaluateRow(replace.predicate, row))
    const failing = rows[index]
    if (failing !== undefined) {
      const row = firstRow + index
      throw new WriteError(
        'ConstraintViolation',
        `row ${row} does not satisfy replaceWhere '${replace.text}': every written row must match the predicate it replaces (found ${describeRow(failing)})`,
        { context: { row, predicate: replace.text } },
      )
    }
  }
  enforceConstraints(rows, bindConstraints(schema, configuration), firstRow)
}

/**
 * Plans which live files the overwrite removes. Partition-only predicates decide per file from
 * partition values; otherwise files that stats cannot rule out are read, and a file with some
 * matching rows is removed, its other rows written to a new file.
 */
export async function planReplaceWhere(
  engine: Engine,
  snapshot: Snapshot,
  replace: CompiledReplaceWhere,
  schema: StructType,
  signal?: AbortSignal,
): Promise<ReplaceWherePlan> {
  const now = engine.now()
  const removes: RemoveFile[] = []
  const keptRows: Row[] = []
  const readFiles: string[] = []
  for (const add of snapshot.files()) {
    if (!replace.matchesFile(add.partitionValues, add.stats)) continue
    readFiles.push(add.path)
    if (replace.partitionOnly) {
      removes.push(removeOf(add, now))
      continue
    }
    const rows = await readFile(engine, snapshot, add, signal)
    const kept = rows.filter((row) => !evaluateRow(replace.predicate, row))
    if (kept.length === rows.length) continue
    removes.push(removeOf(add, now))
    keptRows.push(...kept)
  }
  const rewritten = await writeDataFiles(engine, keptRows, {
    schema,
    partitionColumns: snapshot.partitionColumns,
    statsColumnLimit: snapshot.config.statsColumnLimit,
    columnMappingMode: snapshot.columnMappingMode,
    signal,
  })
  return { removes, rewritten, rowsKept: keptRows.length, readFiles }
}

async function readFile(engine: Engine, snapshot: Snapshot, add: AddFile, signal: AbortSignal | undefined): Promise<Row[]> {
  const source = { schema: snapshot.schema, partitionColumns: snapshot.partitionColumns, columnMappingMode: snapshot.columnMappingMode, files: () => [add] }
  const rows: Row[] = []
  for await (const batch of scan(engine, source, { signal })) rows.push(...batch)
  return rows
}

function describeRow(row: Row): string {
  return JSON.stringify(row, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))
}
