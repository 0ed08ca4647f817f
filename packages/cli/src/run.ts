// The CLI's main function: parses argv, runs one command, and maps the outcome to an exit code.
// Never throws and never calls process.exit, so tests run it in process.

import { CommanderError } from 'commander'
import { Context } from './context.js'
import { errorReport } from './error-report.js'
import { EXIT, Interrupted, exitCodeOf } from './exit-codes.js'
import type { ExitCode } from './exit-codes.js'
import type { CliIO } from './io.js'
import { buildProgram } from './program.js'

const QUIET_COMMANDER_CODES = new Set(['commander.helpDisplayed', 'commander.version', 'commander.help'])

/**
 * Runs `lake` with `argv` (the arguments after the program name).
 * @returns The exit code: 0 ok, 1 error, 2 usage, 3 not found, 4 conflict, 5 safety check, 130 interrupted.
 */
export async function run(argv: readonly string[], io: CliIO): Promise<ExitCode> {
  const ctx = new Context(io)
  const program = buildProgram(ctx)
  try {
    await program.parseAsync([...argv], { from: 'user' })
    return EXIT.ok
  } catch (err) {
    if (err instanceof CommanderError) return QUIET_COMMANDER_CODES.has(err.code) ? EXIT.ok : EXIT.usage
    if (ctx.out.closed) return EXIT.ok
    if (err instanceof Interrupted) return EXIT.interrupted
    if (io.signal?.aborted === true) {
      io.stderr.write('interrupted\n')
      return EXIT.interrupted
    }
    for (const line of errorReport(err, argv.includes('--debug'))) io.stderr.write(`${line}\n`)
    return exitCodeOf(err)
  }
}
