// `lake ui <uri>`: serves a read-only page over the table (overview, history, versions, data,
// health) on 127.0.0.1 until Ctrl-C, printing the URL with its random token.

import type { Command } from 'commander'
import { Option } from 'commander'
import { flag, numberOpt, stringOpt, withTimeTravel } from '../context.js'
import type { Engine } from '@lake/core'
import type { Context, Options } from '../context.js'
import { engineFor } from '../open-table.js'
import { openUrl } from '../open-url.js'
import { boundedInt, nonNegativeInt } from '../parse-args.js'
import { Interrupted } from '../exit-codes.js'
import { parseTimestampArg } from '../timestamp.js'

/** Registers `ui`. */
export function registerUi(program: Command, ctx: Context): void {
  withTimeTravel(program.command('ui').argument('<uri>', 'table URI'), nonNegativeInt('--version'))
    .description('serve a read-only web page over the table (history, versions, data, health) until Ctrl-C')
    .addOption(new Option('--port <n>', 'port to listen on (default: a free one)').argParser(boundedInt('--port', 0, 65535)))
    .option('--host <address>', 'address to bind (default 127.0.0.1; another address is reachable from the network)')
    .option('--open', 'open the page in the default browser')
    .option('--endpoint <url>', 'S3-compatible endpoint URL (default: AWS_ENDPOINT_URL)')
    .option('--region <region>', 'S3 region (default: AWS_REGION, then us-east-1)')
    .option('--debug', 'print stack traces on errors')
    .addHelpText('after', `
Prints the page's URL (with a random token every request needs) on stdout and
serves until Ctrl-C (exit 130). Read-only. --version/--timestamp choose the
version the page opens at (default: the latest, followed as commits arrive).

Examples:
  lake ui ./events --open
  lake ui s3://lake/events --port 8080 --version 12`)
    .action(async (uri: string, options: Options) => {
      const engine = await engineFor(ctx, uri, options)
      const version = await startVersion(ctx, engine, options)
      const host = stringOpt(options, 'host')
      const port = numberOpt(options, 'port')
      const { startUiServer } = await import('@lake/ui')
      const server = await startUiServer({ engine, uri, ...(version === undefined ? {} : { version }), ...(host === undefined ? {} : { host }), ...(port === undefined ? {} : { port }) })
      if (!server.loopback) ctx.diag(`warning: listening on ${server.host}, which is not a loopback address: anyone who reaches it with the URL can read the table`)
      ctx.io.stdout.write(`${server.url}\n`)
      ctx.diag(`serving ${uri} read-only; press Ctrl-C to stop`)
      if (flag(options, 'open') && !(await openUrl(server.url))) ctx.diag('could not start a browser: open the URL above')
      await stopped(ctx.signal)
      await server.close()
      throw new Interrupted()
    })
}

/** The version --version/--timestamp name (checked to exist), or undefined to follow the latest. */
async function startVersion(ctx: Context, engine: Engine, options: Options): Promise<number | undefined> {
  const { DeltaTable } = await import('@lake/core')
  const version = numberOpt(options, 'version')
  const timestampText = stringOpt(options, 'timestamp')
  if (timestampText !== undefined) {
    const table = await DeltaTable.open(engine, { timestamp: parseTimestampArg(timestampText), signal: ctx.signal })
    ctx.diag(`timestamp ${timestampText} resolved to version ${table.version}`)
    return table.version
  }
  await DeltaTable.open(engine, { signal: ctx.signal, ...(version === undefined ? {} : { version }) })
  return version
}

function stopped(signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), { once: true })
  })
}
