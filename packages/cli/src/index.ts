// Public API of @lake/cli: the in-process entry point (`run`) and its IO contract, for embedding
// and tests. The executable is bin.ts.

export { run } from './run.js'
export { processIO, type CliIO } from './io.js'
export { EXIT, EXIT_CODES_HELP, exitCodeOf, type ExitCode } from './exit-codes.js'
export { parseTimestampArg } from './timestamp.js'
export { UsageError } from './usage-error.js'
