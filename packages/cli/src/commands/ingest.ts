// `lake ingest <file | -> <uri>`: writes NDJSON/CSV input into a table through one pipeline
// (ingest-pipeline.ts), exactly once per --app-id, with a progress line on a terminal.

import type { Command } from 'commander'
import type { SchemaMode, WriteMode } from '@lake/core'
import { listOpt, numberOpt, stringOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { Progress } from '../ingest/progress.js'
import type { InputFormat } from '../ingest/ingest-input.js'
import type { IngestSummary } from '../ingest/ingest-pipeline.js'
import { IN_FLIGHT_BYTES, MAX_CONCURRENCY } from '../ingest/limits.js'
import { engineFor } from '../open-table.js'
import { emitObject } from '../output/emit.js'
import { appIdArg, boundedInt, commaList, oneOf, positiveInt } from '../parse-args.js'

const DEFAULT_BATCH_ROWS = 100_000
const MODES: readonly WriteMode[] = ['append', 'overwrite', 'error', 'ignore']
const SCHEMA_MODES: readonly SchemaMode[] = ['merge', 'overwrite']
const INPUT_FORMATS: readonly InputFormat[] = ['ndjson', 'csv']

const HELP = `
Prints version, rows, batches (commits made), files and skippedBatches (committed by earlier runs).

One pipeline: the input (a file, or stdin copied to a temp file) is read by one reader, typed by
the table's schema (a new table's schema is inferred from the first 1000 records), and:
  --app-id <id>      with --mode append: an exactly-once job. Each --batch-rows records are one
                     commit carrying txn(appId, batch); progress lives in <table>/_lake_ingest/<id>/.
                     Rerun the same command after a crash: committed batches are skipped, the rest
                     is written once. A rerun with different input bytes is refused ("input
                     differs"). With other modes the whole write is one commit with txn(appId, 0).
  without --app-id   the whole input is one atomic commit: a failure commits nothing.
  --mode append      Parquet encoded and uploaded in parallel (--concurrency).
  --mode overwrite, --replace-where, --schema-mode, error/ignore: one streamed writeDelta
                     (bounded memory) that removes or replaces what the mode says.
  --schema-mode merge adds every new column of the input, in the commit that writes it.
A new table is created by the commit holding the data (version 0). A failed write deletes the
data files it wrote; a failed first write leaves nothing at the path.
--concurrency N (1..${MAX_CONCURRENCY}): uploads in flight; encoder threads never exceed the cores, and
input held in memory is about ${IN_FLIGHT_BYTES >> 20} MiB at most whatever N.
NDJSON numbers stay exact: integers beyond 2^53 and long decimals are not rounded, and a number
written with a fraction or exponent (5.0) is a double. CSV cells are cast to the table's types, or
(new table) typed long/double/boolean/date/timestamp/string; a repeated header name is refused.

Examples:
  lake ingest events.ndjson ./events --partition-by day
  cat more.ndjson | lake ingest - ./events --schema-mode merge
  lake ingest day.csv ./events --mode overwrite --replace-where "day = '2024-05-01'"
  lake ingest big.ndjson s3://lake/events --app-id nightly-2024-05-01`

/** Registers `ingest`. */
export function registerIngest(program: Command, ctx: Context): void {
  withCommonOptions(program.command('ingest').argument('<file>', "input file, or '-' for stdin").argument('<uri>', 'table URI (created by the first commit when missing)'))
    .description('write NDJSON or CSV input into a table')
    .option('--input-format <format>', 'ndjson or csv (default: from the file extension, else ndjson)', oneOf('--input-format', INPUT_FORMATS))
    .option('--mode <mode>', 'append (default), overwrite, error (fail if the table exists), ignore (do nothing if it exists)', oneOf('--mode', MODES))
    .option('--partition-by <a,b>', 'partition columns of a new table (an existing table must have exactly these)', commaList('--partition-by'))
    .option('--schema-mode <mode>', 'merge (add new columns) or overwrite (replace the schema, with --mode overwrite)', oneOf('--schema-mode', SCHEMA_MODES))
    .option('--replace-where <expr>', "with --mode overwrite: replace only rows matching this predicate: day = '2024-05-01'")
    .option('--app-id <id>', 'job id for exactly-once ([A-Za-z0-9._:-], 1-128 characters, not . or ..): a rerun skips committed batches', appIdArg('--app-id'))
    .option('--batch-rows <n>', `records per commit of an --app-id job, rows per encoded chunk otherwise (default ${DEFAULT_BATCH_ROWS})`, positiveInt('--batch-rows'))
    .option('--concurrency <n>', `uploads in flight, 1..${MAX_CONCURRENCY} (encoder threads are capped by the cores)`, boundedInt('--concurrency', 1, MAX_CONCURRENCY))
    .addHelpText('after', HELP)
    .action(async (file: string, uri: string, options: Options) => {
      const inputFormat = (stringOpt(options, 'inputFormat') as InputFormat | undefined) ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson')
      const { runIngest } = await import('../ingest/ingest-pipeline.js')
      const engine = await engineFor(ctx, uri, options)
      const progress = new Progress(ctx.io.stderr, ctx.io.stderrIsTTY, () => ctx.now())
      const appId = stringOpt(options, 'appId')
      try {
        const summary = await runIngest(engine, {
          input: { path: file === '-' ? undefined : file, stdin: ctx.io.stdin, format: inputFormat },
          mode: (stringOpt(options, 'mode') as WriteMode | undefined) ?? 'append',
          batchRows: numberOpt(options, 'batchRows') ?? DEFAULT_BATCH_ROWS,
          signal: ctx.signal,
          onProgress: (counts) => progress.update(counts),
          partitionBy: listOpt(options, 'partitionBy'),
          schemaMode: stringOpt(options, 'schemaMode') as SchemaMode | undefined,
          replaceWhere: stringOpt(options, 'replaceWhere'),
          appId,
          concurrency: numberOpt(options, 'concurrency'),
        })
        progress.done()
        ctx.diag(summaryLine(summary, appId))
        await emitObject(ctx.output(options, 'json'), { version: summary.version, rows: summary.rows, batches: summary.batches, files: summary.files, skippedBatches: summary.skippedBatches })
      } finally {
        progress.done()
      }
    })
}

/** The stderr line after an ingest: what was written, and what earlier runs had committed. */
export function summaryLine(summary: IngestSummary, appId: string | undefined): string {
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`
  const skipped = `skipped ${plural(summary.skippedBatches, 'committed batch', 'committed batches')} of job '${appId ?? ''}'`
  if (summary.batches === 0 && summary.skippedBatches > 0) return appId === undefined ? 'nothing written: the table exists and --mode is ignore' : `nothing new to ingest: ${skipped}`
  const wrote = `ingested ${plural(summary.rows, 'row', 'rows')} in ${plural(summary.batches, 'commit', 'commits')}`
  return summary.skippedBatches > 0 && appId !== undefined ? `${wrote}; ${skipped}` : wrote
}
