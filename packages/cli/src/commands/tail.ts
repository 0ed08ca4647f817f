// `lake tail <uri>`: like `tail -f` for a table: prints the rows of each new commit as it lands,
// until Ctrl-C (exit 130, quietly).

import type { Command } from 'commander'
import type { MicroBatch, Row } from '@lake/core'
import { flag, numberOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { Interrupted } from '../exit-codes.js'
import { openTable } from '../open-table.js'
import { emitRecords } from '../output/emit.js'
import { duration } from '../parse-args.js'
import { sourceOptions, startingVersionArg, withSourceOptions } from './stream-options.js'

const DEFAULT_INTERVAL_MS = 1000

/** Registers `tail`. */
export function registerTail(program: Command, ctx: Context): void {
  withSourceOptions(withCommonOptions(program.command('tail').argument('<uri>', 'table URI')))
    .description('print rows as they are committed to a table, until Ctrl-C')
    .option('--from-version <n>', "start with the commits of this version (default 'latest': only new commits)", startingVersionArg('--from-version'))
    .option('--interval <duration>', 'how often to look for new commits (default 1s; backs off while idle)', duration('--interval'))
    .addHelpText('after', `
Rows are printed as 'lake read' prints them (ndjson in a pipe). A commit that deletes or
rewrites rows stops the tail (exit 1) unless --ignore-deletes / --skip-change-commits;
--change-feed prints every change instead (_change_type, _commit_version, _commit_timestamp).

Examples:
  lake tail ./events
  lake tail s3://lake/events --from-version 120 --columns id,level --where "level = 'error'" | jq .`)
    .action(async (uri: string, options: Options) => {
      const table = await openTable(ctx, uri, {})
      const version = (options['fromVersion'] as number | 'latest' | undefined) ?? 'latest'
      const stream = table.stream({ ...sourceOptions(options, version, ctx.signal), trigger: { intervalMs: numberOpt(options, 'interval') ?? DEFAULT_INTERVAL_MS } })
      const requested = sourceOptions(options, version, ctx.signal).columns
      const changeColumns = flag(options, 'changeFeed') ? ['_change_type', '_commit_version', '_commit_timestamp'] : []
      const names = [...table.schema.fields.map((f) => f.name), ...changeColumns]
      const columns = requested === undefined ? names : requested.map((r) => names.find((n) => n.toLowerCase() === r.toLowerCase()) ?? r)
      const out = ctx.output(options, 'ndjson')
      // A table is drawn once its rows are known: a tail prints ndjson unless --format says otherwise.
      await emitRecords(options['format'] === undefined ? { ...out, format: 'ndjson' } : out, columns, rowsOf(stream))
      if (ctx.signal.aborted) throw new Interrupted()
    })
}

async function* rowsOf(batches: AsyncIterable<MicroBatch>): AsyncGenerator<Row[]> {
  for await (const batch of batches) yield* batch.rows
}
