// Cross-process race on LocalStore.putIfAbsent: real node processes write one key at once; exactly one
// writer in all processes may win. The children load the TypeScript sources (fixtures/register-ts.mjs),
// not dist/, so the test covers src/local-store.ts as it is now; under Stryker they also run the mutant
// under test (its id is passed on in the environment variable Stryker's instrumented code reads).

import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StorageError } from '../src/errors.js'
import { LocalStore } from '../src/local-store.js'

const CHILD = fileURLToPath(new URL('./fixtures/put-if-absent-child.mjs', import.meta.url))
const REGISTER_TS = fileURLToPath(new URL('./fixtures/register-ts.mjs', import.meta.url))
const SOURCES = new URL('../src/index.ts', import.meta.url).href
const PROCESSES = 4
const WRITERS_PER_PROCESS = 8

interface Outcome {
  readonly id: number
  readonly sha256: string
  readonly status: 'fulfilled' | 'rejected'
  readonly code?: string
}

interface Child {
  readonly ready: Promise<void>
  readonly outcomes: Promise<Outcome[]>
  go(): void
}

/** The environment of a child: ours, plus the mutant Stryker has activated in this process, if any. */
function childEnv(): NodeJS.ProcessEnv {
  const stryker = (globalThis as { __stryker__?: { activeMutant?: string } }).__stryker__
  const mutant = stryker?.activeMutant
  return mutant === undefined ? process.env : { ...process.env, __STRYKER_ACTIVE_MUTANT__: String(mutant) }
}

/** Starts one writer process; `ready` resolves once it has loaded, `outcomes` once it is done. */
function startChild(args: readonly string[]): Child {
  const proc = spawn(process.execPath, ['--import', REGISTER_TS, CHILD, SOURCES, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env: childEnv() })
  let stderr = ''
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]()
  const exited = new Promise<number | null>((resolve) => proc.on('close', resolve))
  const ready = lines.next().then((line) => {
    if (line.value !== 'ready') throw new Error(`child did not start: ${stderr}`)
  })
  const outcomes = (async () => {
    await ready
    const line = await lines.next()
    const code = await exited
    if (code !== 0 || typeof line.value !== 'string') throw new Error(`child exited with ${code}: ${stderr}`)
    return JSON.parse(line.value) as Outcome[]
  })()
  return { ready, outcomes, go: () => proc.stdin.write('go\n') }
}

let root = ''

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'lake-storage-race-'))
})

afterAll(async () => {
  if (root !== '') await rm(root, { recursive: true, force: true })
})

describe('LocalStore across processes', () => {
  it('lets exactly one putIfAbsent win among writers in several processes', { timeout: 60_000 }, async () => {
    const key = '_delta_log/00000000000000000000.json'
    const children = Array.from({ length: PROCESSES }, (_, p) =>
      startChild([root, key, String(p), String(WRITERS_PER_PROCESS)]),
    )
    await Promise.all(children.map((child) => child.ready)) // all loaded before any writes
    for (const child of children) child.go()
    const outcomes = (await Promise.all(children.map((child) => child.outcomes))).flat()
    expect(outcomes).toHaveLength(PROCESSES * WRITERS_PER_PROCESS)
    const winners = outcomes.filter((o) => o.status === 'fulfilled')
    expect(winners).toHaveLength(1)
    for (const loser of outcomes.filter((o) => o.status === 'rejected')) expect(loser.code).toBe('AlreadyExists')
    const stored = await readFile(join(root, '_delta_log', '00000000000000000000.json'))
    expect(createHash('sha256').update(stored).digest('hex')).toBe(winners[0]?.sha256)
    // A writer in this process loses too, and the race left no temp file behind.
    const late = await new LocalStore(root).putIfAbsent(key, new Uint8Array([1])).catch((err: unknown) => err)
    expect(late).toBeInstanceOf(StorageError)
    expect(late).toMatchObject({ code: 'AlreadyExists', context: { method: 'putIfAbsent', path: key } })
    expect(await readdir(join(root, '_delta_log'))).toEqual(['00000000000000000000.json'])
  })
})
