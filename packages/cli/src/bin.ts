#!/usr/bin/env node
// The `lake` executable: runs the CLI on the process streams. SIGINT aborts the running command
// (exit 130; a second SIGINT exits at once); a closed stdout pipe (EPIPE) ends the run quietly.

import { processIO } from './io.js'
import { run } from './run.js'

const controller = new AbortController()
process.once('SIGINT', () => {
  controller.abort(new Error('interrupted'))
  process.once('SIGINT', () => process.exit(130))
})
// EPIPE on stdout is handled by the run's sink; this keeps a late one from crashing the process.
process.stdout.on('error', () => undefined)

const code = await run(process.argv.slice(2), processIO(controller.signal))
process.exitCode = code
