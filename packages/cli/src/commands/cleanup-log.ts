// `lake cleanup-log <uri>`: deletes log files older than delta.logRetentionDuration that a
// checkpoint made redundant (never anything needed to read a retained version).

import type { Command } from 'commander'
import { flag, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { latestTable } from '../open-table.js'
import { emitRecords } from '../output/emit.js'
import { isoTime } from '../output/values.js'

/** Registers `cleanup-log`. */
export function registerCleanupLog(program: Command, ctx: Context): void {
  withCommonOptions(program.command('cleanup-log').argument('<uri>', 'table URI'))
    .description('delete expired log files (delta.logRetentionDuration, default 30 days)')
    .option('--dry-run', 'only list the files')
    .addHelpText('after', `
Keeps the newest checkpoint written before the cutoff (now - retention, at midnight
UTC) and everything after it; deletes older commits, checkpoints and .crc files.
Without such a checkpoint nothing is deleted. Versions before the kept checkpoint
can no longer be read afterwards. Prints the files (path, size) on stdout.

Examples:
  lake cleanup-log ./events --dry-run
  lake cleanup-log ./events`)
    .action(async (uri: string, options: Options) => {
      const table = await latestTable(ctx, uri, options)
      const result = await table.cleanupLog({ dryRun: flag(options, 'dryRun'), signal: ctx.signal })
      await emitRecords(ctx.output(options, 'ndjson'), ['path', 'size'], [result.files.map((f) => ({ path: f.path, size: f.size }))])
      const kept = result.checkpointVersion === undefined ? 'no checkpoint before the cutoff: nothing expired' : `log now starts at checkpoint ${result.checkpointVersion}`
      ctx.diag(`${result.dryRun ? 'dry run: would delete' : 'deleted'} ${result.files.length} log files (cutoff ${isoTime(result.cutoff)}); ${kept}`)
    })
}
