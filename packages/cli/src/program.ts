// Builds the commander program: global help with the exit codes, one subcommand per file in
// commands/, output routed to the run's streams, and exits turned into exceptions (exitOverride).

import { Command } from 'commander'
import { registerChanges } from './commands/changes.js'
import { registerCheckpoint } from './commands/checkpoint.js'
import { registerCleanupLog } from './commands/cleanup-log.js'
import { registerCreate } from './commands/create.js'
import { registerDelete } from './commands/delete.js'
import { registerMerge } from './commands/merge.js'
import { registerDescribe } from './commands/describe.js'
import { registerFiles } from './commands/files.js'
import { registerHistory } from './commands/history.js'
import { registerIngest } from './commands/ingest.js'
import { registerOptimize } from './commands/optimize.js'
import { registerRead } from './commands/read.js'
import { registerRestore } from './commands/restore.js'
import { registerSchema } from './commands/schema.js'
import { registerUpdate } from './commands/update.js'
import { registerStream } from './commands/stream.js'
import { registerTail } from './commands/tail.js'
import { registerUi } from './commands/ui.js'
import { registerVacuum } from './commands/vacuum.js'
import { registerVersionAt } from './commands/version-at.js'
import type { Context } from './context.js'
import { EXIT_CODES_HELP } from './exit-codes.js'

/** The CLI's version (kept equal to package.json by a test). */
export const CLI_VERSION = '0.1.0'

const GLOBAL_HELP = `
Table URIs are paths, file:// or s3://bucket/prefix URIs. S3 settings come from the
AWS environment (AWS_ENDPOINT_URL, AWS_REGION, AWS_ACCESS_KEY_ID,
AWS_SECRET_ACCESS_KEY) or --endpoint/--region. Timestamps accept ISO-8601 with a
zone, dates (2024-05-01 = 00:00 UTC) and epoch milliseconds; no zone means UTC.
Data goes to stdout (a table on a terminal, else json/ndjson; see --format),
diagnostics to stderr. NO_COLOR disables colors.

${EXIT_CODES_HELP}

Examples:
  lake history ./events --limit 5
  lake read ./events --version 3 --limit 10
  lake ingest data.ndjson ./events --partition-by day --app-id nightly
  lake vacuum s3://lake/events --endpoint http://localhost:9000
  lake ui ./events --open`

/** The `lake` program with every command registered against `ctx`. */
export function buildProgram(ctx: Context): Command {
  const program = new Command('lake')
    .description('inspect, time-travel, ingest into and maintain Delta Lake tables')
    .version(CLI_VERSION, '-V, --version', 'print the lake version')
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (s) => ctx.io.stdout.write(s),
      writeErr: (s) => ctx.io.stderr.write(s),
    })
    .addHelpText('after', GLOBAL_HELP)
  for (const register of [
    registerHistory, registerDescribe, registerSchema, registerRead, registerFiles, registerVersionAt,
    registerIngest, registerCreate, registerRestore, registerVacuum, registerOptimize, registerCheckpoint, registerCleanupLog, registerDelete,
    registerUpdate, registerMerge, registerStream, registerTail, registerUi, registerChanges,
  ]) {
    register(program, ctx)
  }
  for (const cmd of program.commands) {
    cmd.exitOverride().showHelpAfterError('(add --help for usage)').addHelpText('after', `\n${EXIT_CODES_HELP}`)
    cmd.configureOutput({ writeOut: (s) => ctx.io.stdout.write(s), writeErr: (s) => ctx.io.stderr.write(s) })
  }
  return program
}
