// `lake version-at <uri> <timestamp>`: the version a timestamp resolves to (Delta's rule: the
// latest commit at or before it).

import type { Command } from 'commander'
import { withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { engineFor } from '../open-table.js'
import { emitObject } from '../output/emit.js'
import { isoTime } from '../output/values.js'
import { parseTimestampArg } from '../timestamp.js'

/** Registers `version-at`. */
export function registerVersionAt(program: Command, ctx: Context): void {
  withCommonOptions(program.command('version-at').argument('<uri>', 'table URI').argument('<timestamp>', 'ISO-8601, date, or epoch ms (no zone = UTC)'))
    .description('resolve a timestamp to the table version current at that time')
    .addHelpText('after', `
Prints requested (the instant, UTC), version, and commitTimestamp (that version's
commit time). Exit code 3 when the instant is before the first retained commit or
after the latest.

Examples:
  lake version-at ./events 2024-05-01
  lake version-at ./events 2024-05-01T12:00:00+02:00 --format json
  lake version-at ./events 1714521600000`)
    .action(async (uri: string, timestampText: string, options: Options) => {
      const timestamp = parseTimestampArg(timestampText)
      const engine = await engineFor(ctx, uri, options)
      const { DeltaTable } = await import('@lake/core')
      const latest = await DeltaTable.open(engine, { signal: ctx.signal })
      const version = await latest.versionAt(timestamp)
      const at = version === latest.version ? latest : await latest.at({ version })
      await emitObject(ctx.output(options, 'json'), { requested: isoTime(timestamp), version, commitTimestamp: isoTime(at.snapshot.timestamp) })
    })
}
