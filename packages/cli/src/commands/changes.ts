// `lake changes <uri> --from-version N`: the change data feed of a version range, streamed batch by batch,
// each row with _change_type, _commit_version and _commit_timestamp.

import type { Command } from 'commander'
import type { ChangesOptions } from '@lake/core'
import { listOpt, numberOpt, stringOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { latestTable } from '../open-table.js'
import { emitRecords } from '../output/emit.js'
import { commaList, nonNegativeInt } from '../parse-args.js'
import { parseTimestampArg } from '../timestamp.js'
import { UsageError } from '../usage-error.js'

const CHANGE_COLUMNS = ['_change_type', '_commit_version', '_commit_timestamp']

/** Registers `changes`. */
export function registerChanges(program: Command, ctx: Context): void {
  withCommonOptions(program.command('changes').argument('<uri>', 'table URI'))
    .description('print the change data feed of a version range (streamed)')
    .option('--from-version <n>', 'first version of the range', nonNegativeInt('--from-version'))
    .option('--to-version <n>', 'last version of the range (default: the latest)', nonNegativeInt('--to-version'))
    .option('--from-timestamp <t>', 'start at the first version committed at or after this time (ISO-8601, date, or epoch ms)', parseTimestampArg)
    .option('--to-timestamp <t>', 'end at the last version committed at or before this time', parseTimestampArg)
    .option('--columns <a,b>', 'only these columns (table columns and _change_type, _commit_version, _commit_timestamp)', commaList('--columns'))
    .option('--where <expr>', "only changes matching a predicate: _change_type = 'delete' AND id > 10")
    .addHelpText('after', `
Needs a table with delta.enableChangeDataFeed=true over the whole range (exit 1 naming the first
version without it). Each row is a table row plus _change_type (insert, delete, update_preimage,
update_postimage), _commit_version and _commit_timestamp. Versions with change data files are read
from them; the others are inferred from their added, removed and deletion-vector-changed rows.
Give one of --from-version and --from-timestamp.

Examples:
  lake changes ./events --from-version 3
  lake changes ./events --from-version 3 --to-version 5 --columns id,_change_type --format ndjson
  lake changes ./events --from-timestamp 2024-05-01 --where "_change_type = 'delete'" --format csv`)
    .action(async (uri: string, options: Options) => {
      const table = await latestTable(ctx, uri, options)
      const range = rangeOptions(options)
      const columns = listOpt(options, 'columns')
      const where = stringOpt(options, 'where')
      const feed = table.changes({ ...range, signal: ctx.signal, ...(columns === undefined ? {} : { columns }), ...(where === undefined ? {} : { filter: where }) })
      const names = columns === undefined ? [...table.schema.fields.map((f) => f.name), ...CHANGE_COLUMNS] : outputNames(table.schema.fields.map((f) => f.name), columns)
      await emitRecords(ctx.output(options, 'ndjson'), names, feed)
    })
}

function rangeOptions(options: Options): ChangesOptions {
  const fromVersion = numberOpt(options, 'fromVersion')
  const fromTimestamp = numberOpt(options, 'fromTimestamp')
  const toVersion = numberOpt(options, 'toVersion')
  const toTimestamp = numberOpt(options, 'toTimestamp')
  if ((fromVersion === undefined) === (fromTimestamp === undefined)) {
    throw new UsageError('expected one of --from-version and --from-timestamp', 'lake changes ./events --from-version 3')
  }
  if (toVersion !== undefined && toTimestamp !== undefined) throw new UsageError('expected at most one of --to-version and --to-timestamp')
  return {
    ...(fromVersion === undefined ? {} : { startingVersion: fromVersion }),
    ...(fromTimestamp === undefined ? {} : { startingTimestamp: fromTimestamp }),
    ...(toVersion === undefined ? {} : { endingVersion: toVersion }),
    ...(toTimestamp === undefined ? {} : { endingTimestamp: toTimestamp }),
  }
}

/** The requested columns spelled as the table (or the change columns) spell them. */
function outputNames(tableColumns: readonly string[], requested: readonly string[]): string[] {
  const known = [...tableColumns, ...CHANGE_COLUMNS]
  return requested.map((r) => known.find((n) => n.toLowerCase() === r.toLowerCase()) ?? r)
}
