// Cross-process race on LocalStore.putIfAbsent: real node processes (importing the built dist)
// write one key at once; exactly one writer in all processes may win.

import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const CHILD = fileURLToPath(new URL('./fixtures/put-if-absent-child.mjs', import.meta.url))
const DIST = fileURLToPath(new URL('../dist/index.js', import.meta.url))
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

/** Starts one writer process; `ready` resolves once it has loaded, `outcomes` once it is done. */
function startChild(args: readonly string[]): Child {
  const proc = spawn(process.execPath, [CHILD, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
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
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build first with npx tsc -b packages/storage`)
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
  })
})
