// `lake read <uri>`: the rows of a version, streamed batch by batch (never the whole table), with
// projection, a filter predicate and a limit that stops reading early.

import type { Command } from 'commander'
import type { DeltaTable } from '@lake/core'
import { listOpt, numberOpt, stringOpt, withCommonOptions, withTimeTravel } from '../context.js'
import type { Context, Options } from '../context.js'
import { openTable } from '../open-table.js'
import { emitRecords } from '../output/emit.js'
import type { OutRecord } from '../output/emit.js'
import { commaList, nonNegativeInt, positiveInt } from '../parse-args.js'

/** Registers `read`. */
export function registerRead(program: Command, ctx: Context): void {
  withTimeTravel(withCommonOptions(program.command('read').argument('<uri>', 'table URI')), nonNegativeInt('--version'))
    .description('print the rows of a version (streamed)')
    .option('--columns <a,b>', 'only these top-level columns, in this order', commaList('--columns'))
    .option('--where <expr>', "only rows matching a predicate: day = '2024-01-01' AND id > 10")
    .option('--limit <n>', 'stop after N rows', nonNegativeInt('--limit'))
    .option('--batch-rows <n>', 'rows read per batch (default 8192)', positiveInt('--batch-rows'))
    .addHelpText('after', `
Values are exact: long as all digits (bare JSON numbers in json/ndjson), decimals,
dates and timestamps (microseconds, UTC 'Z' for timestamp, none for timestamp_ntz)
as strings, binary as base64, maps as objects. Rows stream: '| head' stops reading.

Examples:
  lake read ./events --limit 10
  lake read ./events --timestamp 2024-05-01T00:00:00Z --columns id,ts --format ndjson | jq .
  lake read s3://lake/events --where "day = '2024-05-01'" --format csv > day.csv`)
    .action(async (uri: string, options: Options) => {
      const table = await openTable(ctx, uri, options)
      const columns = outputColumns(table, listOpt(options, 'columns'))
      const where = stringOpt(options, 'where')
      const batchRows = numberOpt(options, 'batchRows')
      const rows = table.scan({
        signal: ctx.signal,
        ...(listOpt(options, 'columns') === undefined ? {} : { columns }),
        ...(where === undefined ? {} : { filter: where }),
        ...(batchRows === undefined ? {} : { batchRows }),
      })
      await emitRecords(ctx.output(options, 'ndjson'), columns, limited(rows, numberOpt(options, 'limit')))
    })
}

/** The output columns: the requested ones spelled as in the schema, or every top-level column. */
function outputColumns(table: DeltaTable, requested: readonly string[] | undefined): string[] {
  const names = table.schema.fields.map((f) => f.name)
  if (requested === undefined) return names
  return requested.map((r) => names.find((n) => n.toLowerCase() === r.toLowerCase()) ?? r)
}

/** Batches until `limit` rows have passed; returning early stops the scan (and its reads). */
async function* limited(batches: AsyncIterable<readonly OutRecord[]>, limit: number | undefined): AsyncGenerator<readonly OutRecord[]> {
  if (limit === 0) return
  let left = limit ?? Number.POSITIVE_INFINITY
  for await (const batch of batches) {
    if (batch.length >= left) {
      yield batch.slice(0, left)
      return
    }
    left -= batch.length
    yield batch
  }
}
