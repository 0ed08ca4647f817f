// The one place every change of a MERGE passes through (a deleted target row, an update's pre- and
// post-image, an inserted row), plus the copies of untouched rows of rewritten files. New rows are
// typed against the output schema (NOT NULL, nested fields added by schema evolution), checked against
// the table's constraints, and written through one rolling writer at the target file size.
// With the change data feed on, each change is also recorded in the operation's `ChangeSink`
// (rewrite/change-sink.ts): `delete`, `update_preimage`/`update_postimage`, `insert`; copies are not changes.

import type { Row, StructType } from '@lake/parquet'
import type { BoundConstraint } from '../../rows/row-constraints.js'
import { enforceConstraints } from '../../rows/row-constraints.js'
import { createRowCoercer } from '../../rows/coerce-rows.js'
import type { RowCoercer } from '../../rows/coerce-rows.js'
import type { MergeRowWriter } from './columnar-writer.js'
import type { ChangeSink } from '../../rewrite/change-sink.js'

/** Which clause group caused a change (Spark counts them apart). */
export type ChangeCause = 'matched' | 'notMatchedBySource'

/** Row counts of a MERGE, Spark's meanings. */
export interface ChangeCounts {
  inserted: number
  matchedUpdated: number
  matchedDeleted: number
  notMatchedBySourceUpdated: number
  notMatchedBySourceDeleted: number
  copied: number
}

const FLUSH_ROWS = 4096

/** Receives every change of a MERGE. */
export class MergeChangeSink {
  readonly counts: ChangeCounts = { inserted: 0, matchedUpdated: 0, matchedDeleted: 0, notMatchedBySourceUpdated: 0, notMatchedBySourceDeleted: 0, copied: 0 }
  readonly #writer: MergeRowWriter
  readonly #coerce: RowCoercer
  readonly #constraints: readonly BoundConstraint[]
  /** Copies need re-typing only when the schema evolved (new nested fields). */
  readonly #retypeCopies: boolean
  readonly #changes: Pick<ChangeSink, 'add'> | undefined
  #pending: Row[] = []
  #written = 0

  constructor(writer: MergeRowWriter, schema: StructType, partitionColumns: readonly string[], constraints: readonly BoundConstraint[], schemaEvolved: boolean, changes?: Pick<ChangeSink, 'add'>) {
    this.#writer = writer
    this.#changes = changes
    this.#coerce = createRowCoercer(schema, { partitionColumns })
    this.#constraints = constraints
    this.#retypeCopies = schemaEvolved
  }

  /** A target row leaves the table. */
  async delete(row: Row, cause: ChangeCause): Promise<void> {
    if (cause === 'matched') this.counts.matchedDeleted++
    else this.counts.notMatchedBySourceDeleted++
    await this.#changes?.add('delete', row)
  }

  /** A target row is replaced by `post`, built from source row `sourceRow` when it matched one. */
  async update(pre: Row, post: Row, cause: ChangeCause, sourceRow?: number): Promise<void> {
    if (cause === 'matched') this.counts.matchedUpdated++
    else this.counts.notMatchedBySourceUpdated++
    const checked = this.#checked(post, sourceRow)
    await this.#changes?.add('update_preimage', pre)
    await this.#changes?.add('update_postimage', checked)
    await this.#add(checked)
  }

  /** A new row, built from source row `sourceRow`. */
  async insert(row: Row, sourceRow: number): Promise<void> {
    this.counts.inserted++
    const checked = this.#checked(row, sourceRow)
    await this.#changes?.add('insert', checked)
    await this.#add(checked)
  }

  /** Untouched rows of a file rewritten by copy-on-write (not changes). */
  async copy(rows: readonly Row[]): Promise<void> {
    this.counts.copied += rows.length
    for (const row of rows) await this.#add(this.#retypeCopies ? this.#coerce(row, this.#written) : row)
  }

  /** Writes what is buffered. */
  async flush(): Promise<void> {
    const rows = this.#pending
    this.#pending = []
    if (rows.length > 0) await this.#writer.write(rows)
  }

  /**
   * The row typed and checked. Its errors name the source row it came from (the caller's input, as in
   * every write), or for a not-matched-by-source update, which has none, its place among the rows written.
   */
  #checked(row: Row, sourceRow: number | undefined): Row {
    const at = sourceRow ?? this.#written
    const typed = this.#coerce(row, at)
    enforceConstraints([typed], this.#constraints, at)
    return typed
  }

  async #add(row: Row): Promise<void> {
    this.#written++
    this.#pending.push(row)
    if (this.#pending.length >= FLUSH_ROWS) await this.flush()
  }
}
