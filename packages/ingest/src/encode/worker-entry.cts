// The file the encoder pool's workers load (CommonJS, so piscina's `require()` of it is a plain one):
// it starts importing the worker proper at once, the bundle `encode-worker.bundle.js` (made by the
// package's build) or else `encode-worker.js`, and hands each task to its default export.
// Why not the ES module itself: piscina require()s its worker file first, and Node 20's require of an
// ES module aborts the whole process (FATAL ERROR in `v8::Module::IsGraphAsync`) when the pool is
// destroyed while a worker is still loading it. Turning that off needed a `--no-experimental-require-module`
// execArgv, and an explicit execArgv makes Node refuse the workers when `node` itself was given V8 or
// per-process flags (e.g. `node --max-semi-space-size=32 lake.js ingest ...`); a default execArgv inherits them.
import fs = require('node:fs')
import path = require('node:path')
import url = require('node:url')

type WorkerModule = { readonly default: (task: unknown) => unknown }

const bundle = path.join(__dirname, 'encode-worker.bundle.js')
const file = fs.existsSync(bundle) ? bundle : path.join(__dirname, 'encode-worker.js')
const loaded = import(url.pathToFileURL(file).href) as Promise<WorkerModule>

export = async function encodeWorkerEntry(task: unknown): Promise<unknown> {
  return (await loaded).default(task)
}
