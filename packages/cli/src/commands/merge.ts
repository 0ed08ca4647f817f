// `lake merge <uri> <source-file|-> --on EXPR ...`: SQL MERGE of an NDJSON or CSV source (read by the
// readers of `lake ingest`; NDJSON of flat columns straight into Arrow columns, merge-source.ts) into a
// table, one MERGE commit; prints the version and MERGE's metrics.

import type { Command } from 'commander'
import type { MergeBuilder } from '@lake/core'
import { stringOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import type { InputFormat } from '../ingest/ingest-input.js'
import { latestTable } from '../open-table.js'
import { emitObject } from '../output/emit.js'
import { oneOf } from '../parse-args.js'
import { mergeClauses } from './merge-args.js'
import { columnarMergeSource } from './merge-source.js'
import type { CliMergeClause } from './merge-args.js'

const INPUT_FORMATS: readonly InputFormat[] = ['ndjson', 'csv']

const HELP = `
The source is an NDJSON or CSV file ('-' reads stdin), typed by the table's columns and held in
memory as a hash on the ON keys. Clauses run in Spark's order: WHEN MATCHED (--when-matched, with
--when-matched-condition), WHEN NOT MATCHED (--when-not-matched), WHEN NOT MATCHED BY SOURCE
(--when-not-matched-by-source). A target row matched by two source rows fails the MERGE (nothing is
written). Prints the new version (null when nothing changed: nothing committed) and MERGE's metrics
with Spark's names: numSourceRows, numTargetRowsInserted, numTargetRowsUpdated, numTargetRowsDeleted,
numTargetRowsCopied, numOutputRows, numTargetFilesAdded, numTargetFilesRemoved,
numTargetDeletionVectorsAdded, numTargetDeletionVectorsRemoved, executionTimeMs, scanTimeMs,
rewriteTimeMs, and the others of Spark's MERGE; then attempts and replans (a MERGE that meets a
conflicting concurrent commit is planned again on the new version, over the source read once).

Examples:
  # upsert: update rows whose id exists, insert the others
  lake merge ./events changes.ndjson --on 'target.id = source.id' --when-matched update-all --when-not-matched insert-all
  lake merge ./events changes.csv --on 'target.id = source.id' --when-matched 'update:v = source.v' --when-matched-condition 'source.v > target.v'
  cat deletes.ndjson | lake merge ./events - --on 'target.id = source.id' --when-matched delete --format json`

function apply(builder: MergeBuilder, clause: CliMergeClause): MergeBuilder {
  switch (clause.kind) {
    case 'matchedUpdateAll':
      return builder.whenMatchedUpdateAll(clause.condition === undefined ? {} : { condition: clause.condition })
    case 'matchedDelete':
      return builder.whenMatchedDelete(clause.condition === undefined ? {} : { condition: clause.condition })
    case 'matchedUpdate':
      return builder.whenMatchedUpdate({ set: clause.set, ...(clause.condition === undefined ? {} : { condition: clause.condition }) })
    case 'notMatchedInsertAll':
      return builder.whenNotMatchedInsertAll()
    case 'notMatchedBySourceDelete':
      return builder.whenNotMatchedBySourceDelete()
  }
}

/** Registers `merge`. */
export function registerMerge(program: Command, ctx: Context): void {
  withCommonOptions(program.command('merge').argument('<uri>', 'table URI').argument('<source>', "source file (NDJSON or CSV), or '-' for stdin"))
    .description('merge a source file into a table (upsert, delete by key, ...)')
    .requiredOption('--on <expr>', "join condition over target and source: 'target.id = source.id'")
    .option('--input-format <format>', 'ndjson or csv (default: from the file extension, else ndjson)', oneOf('--input-format', INPUT_FORMATS))
    .option('--when-matched <action>', "update-all, delete, or 'update:col = expr, ...'")
    .option('--when-matched-condition <expr>', 'only matched pairs where this is TRUE take the --when-matched action')
    .option('--when-not-matched <action>', 'insert-all or none (default none)')
    .option('--when-not-matched-by-source <action>', 'delete or none (default none): target rows no source row matches')
    .option('--schema-mode <mode>', 'merge: update-all / insert-all add the source\'s new columns', oneOf('--schema-mode', ['merge']))
    .addHelpText('after', HELP)
    .action(async (uri: string, file: string, options: Options) => {
      const clauses = mergeClauses({
        whenMatched: stringOpt(options, 'whenMatched'),
        whenMatchedCondition: stringOpt(options, 'whenMatchedCondition'),
        whenNotMatched: stringOpt(options, 'whenNotMatched'),
        whenNotMatchedBySource: stringOpt(options, 'whenNotMatchedBySource'),
      })
      const table = await latestTable(ctx, uri, options)
      const [{ openInput }, { resolvedRows, sourceRows }] = await Promise.all([import('../ingest/ingest-input.js'), import('../ingest/source-rows.js')])
      const format = (stringOpt(options, 'inputFormat') as InputFormat | undefined) ?? (/\.csv$/i.test(file) ? 'csv' : 'ndjson')
      const input = await openInput({ path: file === '-' ? undefined : file, stdin: ctx.io.stdin, format, identify: false, signal: ctx.signal })
      try {
        const evolve = stringOpt(options, 'schemaMode') === 'merge'
        const columns = await columnarMergeSource({ path: input.path, bytes: input.bytes, format, schema: table.schema, schemaMode: evolve })
        const source = columns ?? resolvedRows(sourceRows(input.source, input.bytes, table.schema, ctx.signal), table.schema)
        const builder = clauses.reduce(apply, table.merge(source, { on: stringOpt(options, 'on') ?? '', ...(evolve ? { schemaMode: 'merge' as const } : {}) }))
        const result = await builder.execute({ signal: ctx.signal })
        ctx.diag(result.version === undefined ? 'nothing changed: nothing committed' : `merged as version ${result.version}`)
        await emitObject(ctx.output(options, 'json'), { version: result.version ?? null, ...result.metrics, attempts: result.attempts, replans: result.replans })
      } finally {
        await input.close()
      }
    })
}
