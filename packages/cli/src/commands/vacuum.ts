// `lake vacuum <uri>`: lists (dry run, the default) or deletes (--execute) unreferenced data files
// older than the retention. Refuses a retention under the table's (7 days by default) without --force.

import type { Command } from 'commander'
import { Option } from 'commander'
import { flag, numberOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { latestTable } from '../open-table.js'
import { emitRecords } from '../output/emit.js'
import { isoTime } from '../output/values.js'
import { nonNegativeNumber } from '../parse-args.js'
import { formatBytes } from './format-bytes.js'

/** Registers `vacuum`. */
export function registerVacuum(program: Command, ctx: Context): void {
  withCommonOptions(program.command('vacuum').argument('<uri>', 'table URI'))
    .description('delete data files no longer referenced and older than the retention (dry run by default)')
    .option('--retention-hours <h>', "keep files younger than this (default: delta.deletedFileRetentionDuration, 168 h)", nonNegativeNumber('--retention-hours'))
    .addOption(new Option('--dry-run', 'only list the files (default)').conflicts('execute'))
    .addOption(new Option('--execute', 'delete the files').conflicts('dryRun'))
    .option('--force', "allow a retention shorter than the table's (unsafe with running writers or time travel)")
    .addHelpText('after', `
Prints the files (path, size, modificationTime) on stdout and a summary on stderr.
Never touches _delta_log/ or hidden files; files removed less than the retention ago
(tombstones) and every live file are kept. Exit 5 when the retention is too short.

Examples:
  lake vacuum ./events                          # list what would be deleted
  lake vacuum ./events --execute                # delete it
  lake vacuum ./events --retention-hours 1 --force --execute`)
    .action(async (uri: string, options: Options) => {
      const table = await latestTable(ctx, uri, options)
      const retentionHours = numberOpt(options, 'retentionHours')
      const result = await table.vacuum({
        dryRun: !flag(options, 'execute'),
        enforceRetention: !flag(options, 'force'),
        signal: ctx.signal,
        ...(retentionHours === undefined ? {} : { retentionHours }),
      })
      const records = result.files.map((f) => ({ path: f.path, size: f.size, modificationTime: isoTime(f.lastModified) }))
      await emitRecords(ctx.output(options, 'ndjson'), ['path', 'size', 'modificationTime'], [records])
      const what = `${result.numFiles} files (${formatBytes(result.sizeInBytes)}) older than ${isoTime(result.deleteBefore)}`
      ctx.diag(result.dryRun ? `dry run: ${what} would be deleted; add --execute to delete them` : `deleted ${what}`)
      if (result.tempFiles.length > 0) ctx.diag(`${result.dryRun ? 'would remove' : 'removed'} ${result.tempFiles.length} stale temp files of interrupted writes`)
    })
}
