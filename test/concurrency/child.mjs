// A writer process for the concurrency tests, on the built packages. Usage:
//   node child.mjs <command> '<json args>'
// Talks line by line: prints 'ready' when waiting, reads 'go' from stdin, prints one JSON result line.
//   appends { url, writer, commits }        ready → go → `commits` one-row appends; { versions, attempts }
//   write   { url, rows, options, retryOn } the write runs up to its first commit attempt, prints
//           'ready' and waits for 'go' (so racers have all read the same version and written their
//           files); on a CommitConflict whose reason is in `retryOn`, runs the write again (a new
//           transaction); { result, conflicts } or { error }
//   loop    { url, run, rowsPerCommit, until } appends until the table is at version `until`,
//           printing 'committed <version>' after each commit (the SIGKILL test kills it anywhere)
import { createInterface } from 'node:readline'
import { writeDelta } from '@lake/core'
import { openStore } from '@lake/storage'

const [command, rawArgs] = process.argv.slice(2)
const args = JSON.parse(rawArgs ?? '{}')
const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]()

async function waitForGo() {
  process.stdout.write('ready\n')
  for (;;) {
    const { value, done } = await lines.next()
    if (done) throw new Error('stdin closed before go')
    if (value === 'go') return
  }
}

async function open(url) {
  if (url.startsWith('s3://')) await import('@lake/storage-s3')
  return openStore(url)
}

/** `store` whose first commit attempt (put-if-absent of a log JSON) waits for 'go'. */
function gated(store) {
  let gate
  return {
    url: store.url,
    get: (p, o) => store.get(p, o),
    head: (p, o) => store.head(p, o),
    put: (p, b, o) => store.put(p, b, o),
    list: (p, o) => store.list(p, o),
    delete: (p, o) => store.delete(p, o),
    putIfAbsent: async (p, b, o) => {
      if (p.startsWith('_delta_log/') && p.endsWith('.json')) await (gate ??= waitForGo())
      return store.putIfAbsent(p, b, o)
    },
  }
}

function errorJson(err) {
  return { code: err?.code, reason: err?.reason, winningVersion: err?.winningVersion, message: String(err?.message ?? err) }
}

async function appends({ url, writer, commits }) {
  const store = await open(url)
  await waitForGo()
  const versions = []
  let attempts = 0
  for (let i = 0; i < commits; i++) {
    const result = await writeDelta(store, [{ writer, seq: i, id: writer * 1000 + i }], { mode: 'append' })
    if (result.status !== 'committed') throw new Error(`append ${i} was ${result.status}`)
    versions.push(result.version)
    attempts += result.attempts
  }
  return { writer, versions, attempts }
}

async function write({ url, rows, options, retryOn = [] }) {
  const store = await open(url)
  const conflicts = []
  let target = gated(store)
  for (;;) {
    try {
      return { result: await writeDelta(target, rows, options), conflicts }
    } catch (err) {
      if (err?.code !== 'CommitConflict' || !retryOn.includes(err.reason)) return { error: errorJson(err), conflicts }
      conflicts.push(errorJson(err))
      target = store
    }
  }
}

async function loop({ url, run, rowsPerCommit, until }) {
  const store = await open(url)
  for (let seq = 0; ; seq++) {
    const rows = Array.from({ length: rowsPerCommit }, (_, k) => ({ run, seq, k }))
    const result = await writeDelta(store, rows, { mode: 'append' })
    process.stdout.write(`committed ${result.version}\n`)
    if (result.version >= until) return { done: result.version }
  }
}

const commands = { appends, write, loop }
try {
  const out = await commands[command](args)
  process.stdout.write(JSON.stringify(out) + '\n')
  process.exit(0)
} catch (err) {
  process.stdout.write(JSON.stringify({ error: errorJson(err) }) + '\n')
  process.exit(1)
}
