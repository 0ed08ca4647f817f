// `lake update <uri> --set 'col = expr' [--set ...] [--where EXPR]`: SQL UPDATE (deletion vectors or
// copy-on-write), one UPDATE commit.

import type { Command } from 'commander'
import { stringOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { latestTable } from '../open-table.js'
import { emitObject } from '../output/emit.js'
import { UsageError } from '../usage-error.js'

const SET_HINT = "write --set 'column = SQL value', e.g. --set \"status = 'void'\"; quote a column name with backticks: --set '`my col` = 1'"

/** Parses one `--set` (`col = expr`, `` `quoted col` = expr ``) into the accumulated column → expression map. */
export function setAssignment(text: string, previous: Readonly<Record<string, string>> | undefined): Record<string, string> {
  const split = splitAssignment(text.trimStart())
  if (split === undefined) throw new UsageError(`--set: expected 'column = expression', found '${text}'`, SET_HINT)
  const [column, expression] = split
  const out: Record<string, string> = Object.assign(Object.create(null) as Record<string, string>, previous)
  if (Object.hasOwn(out, column)) throw new UsageError(`--set: column '${column}' is set twice: expected each column once`, SET_HINT)
  out[column] = expression
  return out
}

function splitAssignment(text: string): [string, string] | undefined {
  let column: string
  let rest: string
  if (text.startsWith('`')) {
    const match = /^`((?:[^`]|``)+)`\s*(.*)$/s.exec(text)
    if (match === null) return undefined
    column = (match[1] as string).replaceAll('``', '`')
    rest = match[2] as string
  } else {
    const at = text.indexOf('=')
    if (at < 0) return undefined
    column = text.slice(0, at).trim()
    rest = text.slice(at)
  }
  if (!rest.startsWith('=') || column === '') return undefined
  const expression = rest.slice(1).trim()
  return expression === '' ? undefined : [column, expression]
}

/** Registers `update`. */
export function registerUpdate(program: Command, ctx: Context): void {
  withCommonOptions(program.command('update').argument('<uri>', 'table URI'))
    .description('set new values in the rows matching a predicate (all rows without --where)')
    .option('--set <col=expr>', "a column and its new value as SQL (repeatable): --set \"status = 'void'\" --set 'amount = 0'", setAssignment)
    .option('--where <expr>', "rows to update, a SQL condition (docs/expressions.md): id > 5 AND day = '2024-05-01'")
    .addHelpText('after', `
Every value is computed from the row as it was. Prints the new version (null when no row matched:
nothing committed) and UPDATE's metrics with Spark's names: numUpdatedRows, numCopiedRows,
numAddedFiles, numRemovedFiles, numAddedChangeFiles, numDeletionVectorsAdded,
numDeletionVectorsRemoved, numDeletionVectorsUpdated, numAddedBytes, numRemovedBytes,
executionTimeMs, scanTimeMs, rewriteTimeMs. With delta.enableDeletionVectors=true old rows are
marked in deletion vectors and new rows written to new files; otherwise files holding them are
rewritten. A new row that breaks NOT NULL or a CHECK constraint fails the update: nothing is written.

Examples:
  lake update ./events --set "status = 'void'" --where "day < '2024-01-01'"
  lake update ./events --set 'amount = 0' --set 'note = NULL' --where 'id = 42' --format json`)
    .action(async (uri: string, options: Options) => {
      const set = options['set']
      if (typeof set !== 'object' || set === null) throw new UsageError('update: expected at least one --set', SET_HINT)
      const table = await latestTable(ctx, uri, options)
      const where = stringOpt(options, 'where')
      const result = await table.update({ set: set as Record<string, string>, ...(where === undefined ? {} : { where }) }, { signal: ctx.signal })
      ctx.diag(result.version === undefined ? 'no row matched: nothing updated' : `updated ${result.metrics.numUpdatedRows} rows as version ${result.version}`)
      await emitObject(ctx.output(options, 'json'), { version: result.version ?? null, ...result.metrics })
    })
}
