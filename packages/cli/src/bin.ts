#!/usr/bin/env node
// The `lake` executable: runs the CLI on the process streams. SIGINT aborts the running command
// (exit 130; a second SIGINT exits at once); a closed stdout pipe (EPIPE) ends the run quietly.
// The AWS SDK's multi-line Node-version warning is turned off with its documented opt-out before the
// SDK loads (it is only imported for s3:// URIs), unless the user set the variable themselves.

import { processIO } from './io.js'
import { run } from './run.js'

process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true'

const controller = new AbortController()
process.once('SIGINT', () => {
  controller.abort(new Error('interrupted'))
  process.once('SIGINT', () => process.exit(130))
})
// EPIPE on stdout is handled by the run's sink; this keeps a late one from crashing the process.
process.stdout.on('error', () => undefined)

const code = await run(process.argv.slice(2), processIO(controller.signal))
process.exitCode = code
