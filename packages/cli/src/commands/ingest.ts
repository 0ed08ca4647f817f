// `lake ingest <file | -> <uri>`: appends (or overwrites) NDJSON/CSV input into a table in batches,
// with exactly-once resumption per --app-id and a progress line on a terminal.

import { createReadStream } from 'node:fs'
import type { Readable } from 'node:stream'
import type { Command } from 'commander'
import type { SchemaMode, WriteMode } from '@lake/core'
import { listOpt, numberOpt, stringOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { Progress } from '../ingest/progress.js'
import type { InputFormat } from '../ingest/read-records.js'
import { runIngest } from '../ingest/run-ingest.js'
import { engineFor } from '../open-table.js'
import { emitObject } from '../output/emit.js'
import { commaList, oneOf, positiveInt } from '../parse-args.js'

const DEFAULT_BATCH_ROWS = 100_000
const MODES: readonly WriteMode[] = ['append', 'overwrite', 'error', 'ignore']
const SCHEMA_MODES: readonly SchemaMode[] = ['merge', 'overwrite']
const INPUT_FORMATS: readonly InputFormat[] = ['ndjson', 'csv']

/** Registers `ingest`. */
export function registerIngest(program: Command, ctx: Context): void {
  withCommonOptions(program.command('ingest').argument('<file>', "input file, or '-' for stdin").argument('<uri>', 'table URI (created when missing)'))
    .description('write NDJSON or CSV input into a table')
    .option('--input-format <format>', 'ndjson or csv (default: from the file extension, else ndjson)', oneOf('--input-format', INPUT_FORMATS))
    .option('--mode <mode>', 'append (default), overwrite, error (fail if the table exists), ignore (do nothing if it exists)', oneOf('--mode', MODES))
    .option('--partition-by <a,b>', 'partition columns of a new table', commaList('--partition-by'))
    .option('--schema-mode <mode>', 'merge (add new columns) or overwrite (replace the schema, with --mode overwrite)', oneOf('--schema-mode', SCHEMA_MODES))
    .option('--replace-where <expr>', "with --mode overwrite: replace only rows matching this predicate: day = '2024-05-01'")
    .option('--app-id <id>', 'job id for exactly-once: rerunning the same input skips batches already committed')
    .option('--batch-rows <n>', `rows per commit (default ${DEFAULT_BATCH_ROWS})`, positiveInt('--batch-rows'))
    .option('--concurrency <n>', 'files encoded and uploaded at once', positiveInt('--concurrency'))
    .addHelpText('after', `
Prints version, rows, batches, files and skippedBatches. How it writes:
  - a file with --app-id (append): an exactly-once @lake/ingest job: --batch-rows lines
    per commit, txn(appId, batch), progress in <table>/_lake_ingest/<appId>/; rerun
    the same command after a crash and it resumes where it stopped, exactly once.
  - plain appends without --app-id: one commit, Parquet encoded in parallel
    (--concurrency workers and uploads).
  - everything else (overwrite, --replace-where, error/ignore, --schema-mode, stdin with
    --app-id): appends commit per --batch-rows rows (with --app-id each batch commits
    txn(appId, batch) and a rerun skips committed ones); any other mode is one atomic commit,
    streamed into data files with bounded memory.
NDJSON numbers stay exact: integers beyond 2^53 and long decimals are not rounded. CSV fields
are typed by the table's schema, or (new table) as long/double/boolean when they fit.

Examples:
  lake ingest events.ndjson ./events --partition-by day
  cat more.ndjson | lake ingest - ./events --schema-mode merge
  lake ingest day.csv ./events --mode overwrite --replace-where "day = '2024-05-01'"
  lake ingest big.ndjson s3://lake/events --app-id nightly-2024-05-01`)
    .action(async (file: string, uri: string, options: Options) => {
      const inputFormat = (stringOpt(options, 'inputFormat') as InputFormat | undefined) ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson')
      const opened: Readable[] = []
      const openInput = (): Readable => {
        const stream = file === '-' ? ctx.io.stdin : createReadStream(file)
        opened.push(stream)
        return stream
      }
      const engine = await engineFor(ctx, uri, options)
      const progress = new Progress(ctx.io.stderr, ctx.io.stderrIsTTY, () => ctx.now())
      const partitionBy = listOpt(options, 'partitionBy')
      const schemaMode = stringOpt(options, 'schemaMode') as SchemaMode | undefined
      const replaceWhere = stringOpt(options, 'replaceWhere')
      const appId = stringOpt(options, 'appId')
      try {
        const concurrency = numberOpt(options, 'concurrency')
        const summary = await runIngest(engine, {
          path: file === '-' ? undefined : file,
          openInput,
          inputFormat,
          mode: (stringOpt(options, 'mode') as WriteMode | undefined) ?? 'append',
          batchRows: numberOpt(options, 'batchRows') ?? DEFAULT_BATCH_ROWS,
          signal: ctx.signal,
          onProgress: (counts) => progress.update(counts),
          ...(partitionBy === undefined ? {} : { partitionBy }),
          ...(schemaMode === undefined ? {} : { schemaMode }),
          ...(replaceWhere === undefined ? {} : { replaceWhere }),
          ...(appId === undefined ? {} : { appId }),
          ...(concurrency === undefined ? {} : { concurrency }),
        })
        progress.done()
        ctx.diag(`ingested ${summary.rows} rows in ${summary.batches - summary.skippedBatches} commits via ${summary.route}${summary.skippedBatches > 0 ? ` (${summary.skippedBatches} batches already committed, skipped)` : ''}`)
        await emitObject(ctx.output(options, 'json'), { version: summary.version, rows: summary.rows, batches: summary.batches, files: summary.files, skippedBatches: summary.skippedBatches })
      } finally {
        progress.done()
        for (const stream of opened) if (stream !== ctx.io.stdin) stream.destroy()
      }
    })
}
