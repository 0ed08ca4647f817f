// `lake checkpoint <uri>`: writes a checkpoint of the latest version and `_last_checkpoint`.

import type { Command } from 'commander'
import { withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { latestTable } from '../open-table.js'
import { emitObject } from '../output/emit.js'

/** Registers `checkpoint`. */
export function registerCheckpoint(program: Command, ctx: Context): void {
  withCommonOptions(program.command('checkpoint').argument('<uri>', 'table URI'))
    .description('write a checkpoint of the latest version')
    .addHelpText('after', `
Prints version, path, sizeInBytes, numActions, numOfAddFiles. Tables with the
v2Checkpoint feature are refused (lake writes classic checkpoints only).

Examples:
  lake checkpoint ./events`)
    .action(async (uri: string, options: Options) => {
      const table = await latestTable(ctx, uri, options)
      const result = await table.checkpoint({ signal: ctx.signal })
      await emitObject(ctx.output(options, 'json'), { ...result })
    })
}
