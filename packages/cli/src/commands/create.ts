// `lake create <uri> --schema <json or file>`: an empty table (version 0: protocol and metadata).

import { readFile } from 'node:fs/promises'
import type { Command } from 'commander'
import { listOpt, stringOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { engineFor } from '../open-table.js'
import { emitObject } from '../output/emit.js'
import { commaList, keyValue } from '../parse-args.js'
import { UsageError } from '../usage-error.js'

/** Registers `create`. */
export function registerCreate(program: Command, ctx: Context): void {
  withCommonOptions(program.command('create').argument('<uri>', 'table URI'))
    .description('create an empty table from a Delta schema')
    .requiredOption('--schema <json|file>', 'the schema as Delta JSON (schemaString), inline or a file path')
    .option('--partition-by <a,b>', 'partition columns', commaList('--partition-by'))
    .option('--property <k=v>', 'a table property (repeatable), e.g. delta.appendOnly=true', keyValue('--property'))
    .option('--name <name>', 'table name')
    .option('--description <text>', 'table description')
    .addHelpText('after', `
Examples:
  lake create ./events --schema '{"type":"struct","fields":[{"name":"id","type":"long","nullable":false,"metadata":{}},{"name":"day","type":"date","nullable":true,"metadata":{}}]}' --partition-by day
  lake create s3://lake/events --schema schema.json --property delta.logRetentionDuration='interval 60 days'`)
    .action(async (uri: string, options: Options) => {
      const { DeltaTable, parseSchema } = await import('@lake/core')
      const schema = parseSchema(await schemaText(stringOpt(options, 'schema') ?? ''))
      const engine = await engineFor(ctx, uri, options)
      const partitionBy = listOpt(options, 'partitionBy')
      const property = options['property']
      const name = stringOpt(options, 'name')
      const description = stringOpt(options, 'description')
      const table = await DeltaTable.create(engine, {
        schema,
        signal: ctx.signal,
        ...(partitionBy === undefined ? {} : { partitionBy }),
        ...(typeof property === 'object' && property !== null ? { configuration: property as Record<string, string> } : {}),
        ...(name === undefined ? {} : { name }),
        ...(description === undefined ? {} : { description }),
      })
      ctx.diag(`created table ${table.snapshot.tableUrl} at version ${table.version}`)
      await emitObject(ctx.output(options, 'json'), { version: table.version, location: table.snapshot.tableUrl, id: table.metadata.id })
    })
}

async function schemaText(value: string): Promise<string> {
  if (value.trim().startsWith('{')) return value
  try {
    return await readFile(value, 'utf8')
  } catch (cause) {
    throw new UsageError(`--schema: expected Delta schema JSON or a readable file, found '${value}'`, 'pass the JSON inline (starting with {) or a path to a .json file', { cause })
  }
}
