// Shared helpers of the table (write side) tests: temp local tables, store listings, reading a
// table back, and a clock that tests move by hand.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { LocalStore, MemoryStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import type { Row } from '@lake/parquet'
import { DeltaTable, createEngine } from '../../src/internal.js'
import type { Engine } from '../../src/internal.js'

/** A fresh temp directory and a LocalStore on `<dir>/table`; `cleanup()` removes the directory. */
export function tempLocalTable(): { readonly dir: string; readonly root: string; readonly store: LocalStore; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'lake-table-'))
  const root = join(dir, 'table')
  return { dir, root, store: new LocalStore(root), cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** Every key in the store with its size, sorted. */
export async function listKeys(store: ObjectStore): Promise<string[]> {
  const out: string[] = []
  for await (const meta of store.list('')) out.push(`${meta.path} ${meta.size}`)
  return out.sort()
}

/** All rows of the latest version (or `version`), sorted by the integer `id` column. */
export async function readRows(location: ObjectStore | Engine, version?: number): Promise<Row[]> {
  const table = await DeltaTable.open(location, version === undefined ? {} : { version })
  const rows = await table.toArray()
  return rows.sort((a, b) => Number(a['id']) - Number(b['id']))
}

/** A MemoryStore and an Engine sharing one hand-moved clock (object mtimes = commit times). */
export function clockedTable(start = 1_700_000_000_000): { readonly store: MemoryStore; readonly engine: Engine; tick(ms?: number): number; now(): number } {
  let now = start
  const store = new MemoryStore({ now: () => now, url: 'memory://clocked' })
  return {
    store,
    engine: createEngine(store, { now: () => now }),
    tick: (ms = 1_000) => (now += ms),
    now: () => now,
  }
}
