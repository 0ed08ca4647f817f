// The MERGE builder (delta-rs' `MergeBuilder`, Spark's `DeltaMergeBuilder`): `table.merge(source, { on })`
// then any number of WHEN clauses in order, then `execute()`. Each clause method returns a new builder,
// so a partly built MERGE can be reused.

import type { Engine } from '../../engine.js'
import type { Assignments, MergeClause } from './plan-clauses.js'
import { executeMerge } from './execute.js'
import type { MergeExecuteOptions, MergeResult } from './execute.js'
import type { MergeSourceInput } from './source-hash.js'

/** Options of `table.merge`. */
export interface MergeOptions {
  /** The join condition, a SQL boolean expression over both aliases (`'target.id = source.id'`). */
  readonly on: string
  /** Default `source`. */
  readonly sourceAlias?: string
  /** Default `target`. */
  readonly targetAlias?: string
  /** `merge`: updateAll / insertAll add the source's new columns (nested struct fields too) to the table. */
  readonly schemaMode?: 'merge'
}

/** A condition on a clause: SQL over both aliases; absent: the clause always acts. */
export interface ClauseCondition {
  readonly condition?: string
}

/** Builds a MERGE; nothing runs until `execute()`. */
export class MergeBuilder {
  readonly #engine: Engine
  readonly #source: MergeSourceInput
  readonly #options: MergeOptions
  readonly #clauses: readonly MergeClause[]

  constructor(engine: Engine, source: MergeSourceInput, options: MergeOptions, clauses: readonly MergeClause[] = []) {
    this.#engine = engine
    this.#source = source
    this.#options = options
    this.#clauses = clauses
  }

  #with(clause: MergeClause): MergeBuilder {
    return new MergeBuilder(this.#engine, this.#source, this.#options, [...this.#clauses, clause])
  }

  /** WHEN MATCHED [AND condition] THEN UPDATE SET col = expr, ... */
  whenMatchedUpdate(clause: { readonly set: Assignments } & ClauseCondition): MergeBuilder {
    return this.#with({ kind: 'matchedUpdate', ...clause })
  }

  /** WHEN MATCHED [AND condition] THEN UPDATE SET * (columns by name). */
  whenMatchedUpdateAll(clause: ClauseCondition = {}): MergeBuilder {
    return this.#with({ kind: 'matchedUpdateAll', ...clause })
  }

  /** WHEN MATCHED [AND condition] THEN DELETE */
  whenMatchedDelete(clause: ClauseCondition = {}): MergeBuilder {
    return this.#with({ kind: 'matchedDelete', ...clause })
  }

  /** WHEN NOT MATCHED [AND condition] THEN INSERT (cols) VALUES (exprs); unlisted columns are NULL. */
  whenNotMatchedInsert(clause: { readonly values: Assignments } & ClauseCondition): MergeBuilder {
    return this.#with({ kind: 'notMatchedInsert', ...clause })
  }

  /** WHEN NOT MATCHED [AND condition] THEN INSERT * (columns by name). */
  whenNotMatchedInsertAll(clause: ClauseCondition = {}): MergeBuilder {
    return this.#with({ kind: 'notMatchedInsertAll', ...clause })
  }

  /** WHEN NOT MATCHED BY SOURCE [AND condition] THEN UPDATE SET col = expr, ... (target columns only). */
  whenNotMatchedBySourceUpdate(clause: { readonly set: Assignments } & ClauseCondition): MergeBuilder {
    return this.#with({ kind: 'notMatchedBySourceUpdate', ...clause })
  }

  /** WHEN NOT MATCHED BY SOURCE [AND condition] THEN DELETE */
  whenNotMatchedBySourceDelete(clause: ClauseCondition = {}): MergeBuilder {
    return this.#with({ kind: 'notMatchedBySourceDelete', ...clause })
  }

  /** The clauses so far, in order. */
  get clauses(): readonly MergeClause[] {
    return this.#clauses
  }

  /**
   * Runs the MERGE against the table's latest version and commits it.
   * @throws as `executeMerge`: MergeError, PredicateError, SchemaError, ConstraintViolationError, ProtocolError,
   *   CommitConflictError, StorageError. The table is unchanged after any error.
   */
  execute(options: MergeExecuteOptions = {}): Promise<MergeResult> {
    const spec = {
      on: this.#options.on,
      sourceAlias: this.#options.sourceAlias ?? 'source',
      targetAlias: this.#options.targetAlias ?? 'target',
      schemaMode: this.#options.schemaMode,
      clauses: this.#clauses,
    }
    return executeMerge(this.#engine, this.#source, spec, options)
  }
}
