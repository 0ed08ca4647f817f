// `lake optimize <uri> [--purge]`: bin-packing compaction of small files (with --purge: rewrite of the
// files with deletion vectors, a REORG), committed with dataChange=false.

import type { Command } from 'commander'
import { flag, numberOpt, stringOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { latestTable } from '../open-table.js'
import { emitObject } from '../output/emit.js'
import { byteSize } from '../parse-args.js'

/** Registers `optimize`. */
export function registerOptimize(program: Command, ctx: Context): void {
  withCommonOptions(program.command('optimize').argument('<uri>', 'table URI'))
    .description('compact small files into files of about the target size (dataChange=false)')
    .option('--where <expr>', "only partitions matching a predicate on partition columns: day >= '2024-05-01'")
    .option('--target-size <bytes>', 'target file size: bytes, or with a unit (128MiB, 256MB, 1g); default 128MiB', byteSize('--target-size'))
    .option('--purge', "rewrite every file that has a deletion vector, and no other (Spark's REORG TABLE ... APPLY (PURGE))")
    .addHelpText('after', `
Prints the new version (null when nothing needed compacting) and OPTIMIZE's metrics:
numFilesAdded, numFilesRemoved, filesAddedSize, filesRemovedSize, partitionsOptimized,
numBatches, totalConsideredFiles, totalFilesSkipped. A bin's rows are held in memory.
With --purge the commit is a REORG: rows hidden by deletion vectors are physically gone from the
new files, and vacuum deletes the old files and their deletion-vector files once past the retention.

Examples:
  lake optimize ./events
  lake optimize ./events --where "day = '2024-05-01'" --target-size 64MiB
  lake optimize ./events --purge`)
    .action(async (uri: string, options: Options) => {
      const table = await latestTable(ctx, uri, options)
      const where = stringOpt(options, 'where')
      const targetSizeBytes = numberOpt(options, 'targetSize')
      const result = await table.optimize({
        signal: ctx.signal,
        ...(where === undefined ? {} : { where }),
        ...(targetSizeBytes === undefined ? {} : { targetSizeBytes }),
        ...(flag(options, 'purge') ? { purge: true } : {}),
      })
      ctx.diag(result.version === undefined ? 'nothing to compact' : `compacted ${result.metrics.numFilesRemoved} files into ${result.metrics.numFilesAdded} as version ${result.version}`)
      await emitObject(ctx.output(options, 'json'), { version: result.version ?? null, ...result.metrics })
    })
}
