// Checkpoint races: two writers checkpointing the same version both succeed (plain put of
// equivalent bytes), readers loading meanwhile always see a valid table, and a failed checkpoint
// never fails the commit it follows.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LocalStore, MemoryStore, faultyStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { classicCheckpointPath, createEngine, loadSnapshot, writeCheckpoint, writeDelta } from '../../src/internal.js'

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

function localStore(): LocalStore {
  const dir = mkdtempSync(join(tmpdir(), 'lake-ckpt-race-'))
  dirs.push(dir)
  return new LocalStore(join(dir, 'table'))
}

/** A table with versions 0..`last`, one row per commit, checkpoints disabled by a large interval. */
async function table(store: ObjectStore, last: number): Promise<void> {
  await writeDelta(store, [{ id: 0n }], { configuration: { 'delta.checkpointInterval': '1000' } })
  for (let v = 1; v <= last; v++) await writeDelta(store, [{ id: BigInt(v) }], { mode: 'append' })
}

describe('checkpoint races', () => {
  it.each([
    ['LocalStore', localStore],
    ['MemoryStore', () => new MemoryStore()],
  ])('two writers checkpointing the same version both succeed, and readers loading meanwhile see every row (%s)', async (_name, make) => {
    const store = make()
    await table(store, 6)
    const engine = createEngine(store)
    const snapshot = await loadSnapshot(engine)
    const writer = async (): Promise<void> => {
      for (let i = 0; i < 5; i++) await writeCheckpoint(engine, snapshot)
    }
    const reader = async (): Promise<number[]> => {
      const seen: number[] = []
      for (let i = 0; i < 10; i++) seen.push((await loadSnapshot(engine)).files().length)
      return seen
    }
    const [, , seen] = await Promise.all([writer(), writer(), reader()])
    expect(seen).toEqual(Array.from({ length: 10 }, () => 7))
    const after = await loadSnapshot(engine)
    expect(after.version).toBe(6)
    expect(after.files().map((f) => f.path).sort()).toEqual(snapshot.files().map((f) => f.path).sort())
    await expect(store.head(classicCheckpointPath(6))).resolves.toMatchObject({ path: classicCheckpointPath(6) })
  })

  it('a failing checkpoint write does not fail the commit it follows', async () => {
    const inner = new MemoryStore()
    await writeDelta(inner, [{ id: 0n }], { configuration: { 'delta.checkpointInterval': '2' } })
    await writeDelta(inner, [{ id: 1n }], { mode: 'append' })
    const broken = faultyStore(inner, { rules: [{ method: 'put', path: /checkpoint/ }] })
    const result = await writeDelta(broken, [{ id: 2n }], { mode: 'append' })
    expect(result).toMatchObject({ status: 'committed', version: 2 })
    await expect(inner.head(classicCheckpointPath(2))).rejects.toMatchObject({ code: 'NotFound' })
    expect((await loadSnapshot(createEngine(inner))).files()).toHaveLength(3)
  })

  it('two writers committing at checkpoint versions concurrently leave a loadable table with every file', async () => {
    const store = localStore()
    await writeDelta(store, [{ id: 0n }], { configuration: { 'delta.checkpointInterval': '2' } })
    const append = (id: number): Promise<unknown> => writeDelta(store, [{ id: BigInt(id) }], { mode: 'append' })
    await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map(append))
    const snapshot = await loadSnapshot(createEngine(store))
    expect(snapshot.version).toBe(8)
    expect(snapshot.files()).toHaveLength(9)
  })
})
