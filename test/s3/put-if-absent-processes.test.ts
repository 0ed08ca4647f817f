// Several OS processes race putIfAbsent on the same S3 keys through the built @lake/storage-s3: every
// key must end with exactly one winner whose bytes are stored. Runs only with an S3 endpoint (see the gate).

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, expect, it } from 'vitest'
import {
  deletePrefix,
  describeWithS3,
  ensureBucket,
  makeTestStore,
  uniqueRunPrefix,
} from '../../packages/storage-s3/test/s3-test-env.js'

const PROCESSES = 4
const ROUNDS = 12
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))

// Each writer loads the package, says "ready", waits for "go" on stdin so all start together, then
// tries every round's key and prints which rounds it won.
const WRITER = `
import { s3StoreFromUrl } from '@lake/storage-s3'
import { createInterface } from 'node:readline'
const [url, id, rounds] = process.argv.slice(1)
const store = s3StoreFromUrl(url)
const lines = createInterface({ input: process.stdin })
process.stdout.write('ready\\n')
for await (const line of lines) if (line === 'go') break
const won = [], errors = []
for (let r = 0; r < Number(rounds); r++) {
  try {
    await store.putIfAbsent('_log/' + r + '.json', new TextEncoder().encode('writer ' + id + ' round ' + r))
    won.push(r)
  } catch (err) {
    if (err?.code !== 'AlreadyExists') errors.push(String(err?.message ?? err))
  }
}
process.stdout.write(JSON.stringify({ id: Number(id), won, errors }) + '\\n')
process.exit(0)
`

interface WriterResult {
  readonly id: number
  readonly won: readonly number[]
  readonly errors: readonly string[]
}

describeWithS3('putIfAbsent from several processes against S3', (env) => {
  const prefix = uniqueRunPrefix('lake-test-processes')
  beforeAll(() => ensureBucket(env))
  afterAll(() => deletePrefix(env, prefix))

  it('lets exactly one process win each key, with its bytes stored', async () => {
    const url = `s3://${env.bucket}/${prefix}`
    const writers = Array.from({ length: PROCESSES }, (_, id) => startWriter(url, id, env.endpoint))
    await Promise.all(writers.map((w) => waitForLine(w)))
    for (const w of writers) w.child.stdin.write('go\n')
    const results = await Promise.all(writers.map(async (w) => JSON.parse(await waitForLine(w)) as WriterResult))

    expect(results.flatMap((r) => r.errors)).toEqual([])
    const store = makeTestStore(env, prefix)
    for (let round = 0; round < ROUNDS; round++) {
      const winners = results.filter((r) => r.won.includes(round))
      expect(winners, `round ${round}`).toHaveLength(1)
      const stored = new TextDecoder().decode(await store.get(`_log/${round}.json`))
      expect(stored).toBe(`writer ${winners[0]?.id} round ${round}`)
    }
  }, 60_000)
})

interface Writer {
  readonly child: ChildProcessWithoutNullStreams
  readonly lines: AsyncIterator<string>
}

function startWriter(url: string, id: number, endpoint: string): Writer {
  const child = spawn(process.execPath, ['--input-type=module', '-e', WRITER, url, String(id), String(ROUNDS)], {
    cwd: REPO_ROOT,
    env: { ...process.env, AWS_ENDPOINT_URL: endpoint, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  })
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[writer ${id}] ${chunk.toString()}`))
  return { child, lines: createInterface({ input: child.stdout })[Symbol.asyncIterator]() }
}

/** The next line the writer prints; rejects if it exits first. */
async function waitForLine(writer: Writer): Promise<string> {
  const exited = once(writer.child, 'exit').then(([code]) => {
    throw new Error(`writer exited with code ${String(code)} before printing a line`)
  })
  const next = writer.lines.next().then((r) => (r.done === true ? '' : r.value))
  return Promise.race([next, exited])
}
