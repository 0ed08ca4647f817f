// VACUUM with zero retention against a writer in another process (real processes on a LocalStore,
// importing the built dist): the writer's uncommitted files may be deleted, but the writer then
// fails with a ConcurrentVacuum conflict instead of committing, so every version stays readable.

import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DeltaTable, writeDelta } from '../../src/internal.js'
import { tempLocalTable } from '../table/helpers.js'
import { EVENTS } from './helpers.js'

const WRITER = fileURLToPath(new URL('../fixtures/vacuum-race-writer.mjs', import.meta.url))
const VACUUM = fileURLToPath(new URL('../fixtures/vacuum-child.mjs', import.meta.url))
const DIST = fileURLToPath(new URL('../../dist/internal.js', import.meta.url))

interface Child {
  /** The next line the child prints, parsed as JSON. */
  line(): Promise<unknown>
  send(text: string): void
  exited: Promise<number | null>
}

function start(script: string, args: readonly string[]): Child {
  const proc = spawn(process.execPath, [script, ...args], { stdio: ['pipe', 'pipe', 'pipe'] })
  let stderr = ''
  proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]()
  const exited = new Promise<number | null>((resolve) => proc.on('close', resolve))
  return {
    line: async () => {
      const next = await lines.next()
      if (typeof next.value !== 'string') throw new Error(`child ${script} printed nothing: ${stderr}`)
      return JSON.parse(next.value) as unknown
    },
    send: (text) => proc.stdin.write(`${text}\n`),
    exited,
  }
}

/** Reads every version of the table in full: any missing data file fails the read. */
async function readEveryVersion(root: string): Promise<number[]> {
  const latest = await DeltaTable.open(root)
  const counts: number[] = []
  for (let v = 0; v <= latest.version; v++) counts.push((await (await DeltaTable.open(root, { version: v })).toArray()).length)
  return counts
}

const cleanups: (() => void)[] = []
afterEach(() => {
  for (const c of cleanups.splice(0)) c()
})

beforeAll(() => {
  if (!existsSync(DIST)) throw new Error(`${DIST} is missing: build first (npx turbo run build --filter=@lake/core)`)
})

describe('vacuum against a writer in another process', () => {
  it('makes a writer whose files it deleted fail with ConcurrentVacuum, leaving every version readable', { timeout: 60_000 }, async () => {
    const t = tempLocalTable()
    cleanups.push(t.cleanup)
    await writeDelta(t.root, [{ id: 1n, day: 'a' }], { schema: EVENTS })
    const writer = start(WRITER, ['held', t.root])
    const { written } = (await writer.line()) as { written: string[] }
    expect(written).toHaveLength(1)
    await new Promise((resolve) => setTimeout(resolve, 20)) // the file's mtime falls before the vacuum's cutoff
    const vacuum = start(VACUUM, [t.root, 'once'])
    expect(await vacuum.line()).toEqual([{ status: 'done', version: 1, numFiles: 1 }])
    expect(await vacuum.exited).toBe(0)
    writer.send('go')
    expect(await writer.line()).toMatchObject({ status: 'error', code: 'CommitConflict', reason: 'ConcurrentVacuum', path: written[0] })
    expect(await writer.exited).toBe(0)
    const table = await DeltaTable.open(t.root)
    expect(table.version).toBe(2) // create, VACUUM START, VACUUM END: the writer committed nothing
    expect((await table.history()).map((h) => h.operation)).toEqual(['VACUUM END', 'VACUUM START', 'WRITE'])
    expect(await readEveryVersion(t.root)).toEqual([1, 1, 1])
  })

  it('keeps every version readable while vacuums loop during appends', { timeout: 120_000 }, async () => {
    const t = tempLocalTable()
    cleanups.push(t.cleanup)
    await writeDelta(t.root, [{ id: 1n, day: 'a' }], { schema: EVENTS })
    const vacuum = start(VACUUM, [t.root, 'loop'])
    const writer = start(WRITER, ['loop', t.root, '25'])
    const appends = (await writer.line()) as { status: string; code?: string; reason?: string }[]
    vacuum.send('stop')
    const vacuums = (await vacuum.line()) as { status: string }[]
    expect(vacuums.every((v) => v.status === 'done')).toBe(true)
    expect(appends.filter((a) => a.status !== 'committed' && a.reason !== 'ConcurrentVacuum')).toEqual([])
    const committed = appends.filter((a) => a.status === 'committed').length
    const counts = await readEveryVersion(t.root)
    expect(counts.at(-1)).toBe(1 + committed)
  })
})
