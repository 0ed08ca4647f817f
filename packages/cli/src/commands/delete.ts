// `lake delete <uri> [--where EXPR]`: SQL DELETE (deletion vectors or copy-on-write), one DELETE commit.

import type { Command } from 'commander'
import { stringOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { latestTable } from '../open-table.js'
import { emitObject } from '../output/emit.js'

/** Registers `delete`. */
export function registerDelete(program: Command, ctx: Context): void {
  withCommonOptions(program.command('delete').argument('<uri>', 'table URI'))
    .description('delete the rows matching a predicate (all rows without --where)')
    .option('--where <expr>', "rows to delete, in the predicate language of read --where: id > 5 AND day = '2024-05-01'")
    .addHelpText('after', `
Prints the new version (null when no row matched: nothing committed) and DELETE's metrics with
Spark's names: numDeletedRows, numRemovedFiles, numAddedFiles, numCopiedRows,
numDeletionVectorsAdded, numDeletionVectorsRemoved, numDeletionVectorsUpdated, numAddedChangeFiles,
numRemovedBytes, numAddedBytes, executionTimeMs, scanTimeMs, rewriteTimeMs; then attempts and
replans (a DELETE that meets a conflicting concurrent commit is planned again on the new version). With
delta.enableDeletionVectors=true rows are marked in deletion vectors; otherwise files holding them
are rewritten. Without --where every row is deleted.

Examples:
  lake delete ./events --where "status = 'void'"
  lake delete ./events --where "day < '2024-01-01'" --format json`)
    .action(async (uri: string, options: Options) => {
      const table = await latestTable(ctx, uri, options)
      const where = stringOpt(options, 'where')
      const result = await table.delete(where, { signal: ctx.signal })
      ctx.diag(result.version === undefined ? 'no row matched: nothing deleted' : `deleted ${result.metrics.numDeletedRows} rows as version ${result.version}`)
      await emitObject(ctx.output(options, 'json'), { version: result.version ?? null, ...result.metrics, attempts: result.attempts, replans: result.replans })
    })
}
