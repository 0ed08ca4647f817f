// `lake schema <uri>`: the schema of a version as a tree, as Delta JSON (--format json), or as a
// flat column list (ndjson/csv).

import type { Command } from 'commander'
import { withCommonOptions, withTimeTravel } from '../context.js'
import type { Context, Options } from '../context.js'
import { openTable } from '../open-table.js'
import { emitRecords } from '../output/emit.js'
import { nonNegativeInt } from '../parse-args.js'

/** Registers `schema`. */
export function registerSchema(program: Command, ctx: Context): void {
  withTimeTravel(withCommonOptions(program.command('schema').argument('<uri>', 'table URI')), nonNegativeInt('--version'))
    .description('show the schema of a version')
    .addHelpText('after', `
Formats: table = a tree (Spark's printSchema); json = the Delta schema JSON
(metaData.schemaString); ndjson/csv = one line per column (dotted paths for nested
fields): column, type, nullable, partition, comment.

Examples:
  lake schema ./events
  lake schema ./events --version 0 --format json`)
    .action(async (uri: string, options: Options) => {
      const table = await openTable(ctx, uri, options)
      const [{ serializeSchema }, { schemaColumns, schemaTree }] = await Promise.all([import('@lake/core'), import('./schema-tree.js')])
      const out = ctx.output(options, 'json')
      if (out.format === 'table') return ctx.out.write(schemaTree(table.schema))
      if (out.format === 'json') return ctx.out.write(`${serializeSchema(table.schema)}\n`)
      await emitRecords(out, ['column', 'type', 'nullable', 'partition', 'comment'], [schemaColumns(table.schema, table.partitionColumns).map((c) => ({ ...c }))])
    })
}
