// Many writers in one process share no mutable state across tables: 4 tables, each written by
// concurrent writeDelta loops at once (interleaved on one event loop), hold exactly their own rows.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DeltaTable, loadSnapshot, createEngine, writeDelta } from '../../src/internal.js'
import { LocalStore } from '@lake/storage'

const TABLES = 4
const WRITERS = 3 // per table
const WRITES = 6 // per writer
const dir = mkdtempSync(join(tmpdir(), 'lake-tables-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('writers of several tables in one process', () => {
  it('keep every row in its own table, with contiguous versions per table', async () => {
    const paths = Array.from({ length: TABLES }, (_, t) => join(dir, `table-${t}`))
    // Each table is created by the racing writers themselves (concurrent creation included).
    const loop = async (t: number, w: number): Promise<void> => {
      for (let i = 0; i < WRITES; i++) {
        const rows = [{ table: t, writer: w, seq: i }, { table: t, writer: w, seq: i + 100 }]
        await writeDelta(paths[t] as string, rows, { mode: 'append', partitionBy: ['table'] })
      }
    }
    const loops = paths.flatMap((_, t) => Array.from({ length: WRITERS }, (_, w) => loop(t, w)))
    await Promise.all(loops)

    for (const [t, path] of paths.entries()) {
      const rows = await (await DeltaTable.open(path)).toArray()
      expect(rows).toHaveLength(WRITERS * WRITES * 2)
      expect(new Set(rows.map((r) => r['table']))).toEqual(new Set([BigInt(t)]))
      const keys = rows.map((r) => `${String(r['writer'])}/${String(r['seq'])}`)
      expect(new Set(keys).size).toBe(keys.length)
      const snapshot = await loadSnapshot(createEngine(new LocalStore(path)))
      expect(snapshot.version).toBe(WRITERS * WRITES - 1)
    }
  }, 60_000)
})
