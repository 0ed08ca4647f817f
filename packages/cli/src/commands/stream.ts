// `lake stream <source> <target> --checkpoint <uri>`: copies a table's new commits into another
// table exactly once (Spark's readStream → writeStream with a checkpoint location), one target
// commit per micro-batch, with a progress line per batch on stderr.

import type { Command } from 'commander'
import type { BatchProgress, StreamOptions } from '@lake/core'
import { flag, listOpt, numberOpt, stringOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { Interrupted } from '../exit-codes.js'
import { engineFor, prepareScheme } from '../open-table.js'
import { emitObject } from '../output/emit.js'
import { commaList, duration, oneOf } from '../parse-args.js'
import { UsageError } from '../usage-error.js'
import { sourceOptions, startingVersionArg, withSourceOptions } from './stream-options.js'

const HELP = `
Each micro-batch is one commit to the target carrying txn(appId = the stream's query id,
version = batch id); progress lives in the checkpoint location (metadata, offsets/<batch>,
commits/<batch>, Spark's layout). Kill it at any point and rerun the same command: it goes on
after the last committed batch, and a batch the target already holds is not written again.
Without --starting-version/--starting-timestamp the source's current files come first.
By default a source commit that deletes or rewrites rows stops the stream (exit 1, naming the
version); --ignore-deletes, --skip-change-commits or --ignore-changes let it go on.
--change-feed copies the change data feed instead: every change row with _change_type,
_commit_version and _commit_timestamp (the source's current rows first, as inserts; a batch holds
whole commits). Commits that add no rows (skipped, OPTIMIZE) make an empty batch: no target commit.
--available-now (default): everything committed now, in batches of --max-files, then exit.
--interval 10s: poll until Ctrl-C (exit 130), backing off up to 8 intervals while idle.
Progress on stderr: one line per batch (versions, files, rows, lag in versions behind the source).

Examples:
  lake stream ./events ./events_copy --checkpoint ./events_copy/_checkpoint
  lake stream s3://lake/events s3://lake/errors --checkpoint s3://lake/_ck/errors --where "level = 'error'" --interval 30s
  lake stream ./events ./counts --checkpoint ./ck --mode complete --max-files 100`

/** Registers `stream`. */
export function registerStream(program: Command, ctx: Context): void {
  withSourceOptions(withCommonOptions(program.command('stream').argument('<source-uri>', 'source table URI').argument('<target-uri>', 'target table URI (created by the first batch)')))
    .description('copy a table\'s commits into another table as a stream, exactly once')
    .requiredOption('--checkpoint <uri>', 'checkpoint location (directory or s3:// prefix): the stream\'s durable progress')
    .option('--available-now', 'process what is committed now, then exit (default)')
    .option('--interval <duration>', 'poll every interval (10s, 500ms, 2m) until Ctrl-C', duration('--interval'))
    .option('--starting-version <n>', "first source version to read (inclusive), or 'latest'", startingVersionArg('--starting-version'))
    .option('--mode <mode>', 'append (default): the batch\'s rows; complete: the target replaced by everything streamed so far', oneOf('--mode', ['append', 'complete'] as const))
    .option('--partition-by <a,b>', 'partition columns of a new target', commaList('--partition-by'))
    .addHelpText('after', HELP)
    .action(async (sourceUri: string, targetUri: string, options: Options) => {
      const interval = numberOpt(options, 'interval')
      if (interval !== undefined && flag(options, 'availableNow')) throw new UsageError('expected one of --available-now and --interval, found both')
      const checkpoint = stringOpt(options, 'checkpoint') ?? ''
      await prepareScheme(checkpoint)
      const version = options['startingVersion'] as number | 'latest' | undefined
      const streamOptions: StreamOptions = {
        ...sourceOptions(options, version, ctx.signal),
        checkpoint,
        checkpointStorage: ctx.storage(options),
        trigger: interval === undefined ? { availableNow: true } : { intervalMs: interval },
      }
      const { streamTable } = await import('@lake/core')
      const stream = await streamTable(await engineFor(ctx, sourceUri, options), streamOptions)
      const partitionBy = listOpt(options, 'partitionBy')
      const summary = await stream.writeTo(await engineFor(ctx, targetUri, options), {
        mode: stringOpt(options, 'mode') === 'complete' ? 'complete' : 'append',
        ...(partitionBy === undefined ? {} : { partitionBy }),
        onBatch: (p) => ctx.diag(progressLine(p)),
      })
      await emitObject(ctx.output(options, 'json'), { queryId: stream.queryId ?? null, ...summary })
      if (ctx.signal.aborted) throw new Interrupted()
    })
}

function progressLine(p: BatchProgress): string {
  const versions = p.startVersion === p.endVersion ? `version ${p.endVersion}` : `versions ${p.startVersion}..${p.endVersion}`
  const target =
    p.status === 'skipped' ? 'already in the target (skipped)'
    : p.status === 'empty' ? 'nothing to write (commits without new rows)'
    : `target version ${p.targetVersion ?? '?'}`
  return `batch ${p.batchId}: ${versions}, ${p.files} files, ${p.rows} rows, ${target}, lag ${p.lag} versions`
}
