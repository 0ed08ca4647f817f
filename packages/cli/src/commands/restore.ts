// `lake restore <uri> --version N | --timestamp T`: a new commit that makes the table equal to an
// earlier version, with Spark's RESTORE metrics.

import type { Command } from 'commander'
import { numberOpt, stringOpt, withCommonOptions, withTimeTravel } from '../context.js'
import type { Context, Options } from '../context.js'
import { latestTable } from '../open-table.js'
import { emitObject } from '../output/emit.js'
import { nonNegativeInt } from '../parse-args.js'
import { parseTimestampArg } from '../timestamp.js'
import { UsageError } from '../usage-error.js'

/** Registers `restore`. */
export function registerRestore(program: Command, ctx: Context): void {
  withTimeTravel(withCommonOptions(program.command('restore').argument('<uri>', 'table URI')), nonNegativeInt('--version'))
    .description('restore the table to an earlier version (a new commit)')
    .addHelpText('after', `
Prints the new version and Spark's RESTORE metrics: table_size_after_restore,
num_of_files_after_restore, num_removed_files, num_restored_files,
removed_files_size, restored_files_size. Refused (exit 5) when data files of the
target version were vacuumed.

Examples:
  lake restore ./events --version 41
  lake restore ./events --timestamp 2024-05-01T00:00:00Z`)
    .action(async (uri: string, options: Options) => {
      const version = numberOpt(options, 'version')
      const timestampText = stringOpt(options, 'timestamp')
      if (version === undefined && timestampText === undefined) throw new UsageError('restore: expected --version N or --timestamp T', "run 'lake history <uri>' to pick a version")
      const table = await latestTable(ctx, uri, options)
      const target = version !== undefined ? { version } : { timestamp: parseTimestampArg(timestampText ?? '') }
      const result = await table.restore(target, { signal: ctx.signal })
      if (version === undefined) ctx.diag(`timestamp resolved to version ${result.restoredVersion}`)
      ctx.diag(`restored to version ${result.restoredVersion} as version ${result.version}`)
      const m = result.metrics
      await emitObject(ctx.output(options, 'json'), {
        version: result.version,
        restoredVersion: result.restoredVersion,
        table_size_after_restore: m.tableSizeAfterRestore,
        num_of_files_after_restore: m.numOfFilesAfterRestore,
        num_removed_files: m.numRemovedFiles,
        num_restored_files: m.numRestoredFiles,
        removed_files_size: m.removedFilesSize,
        restored_files_size: m.restoredFilesSize,
      })
    })
}
