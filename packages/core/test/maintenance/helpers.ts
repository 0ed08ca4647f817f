// A MemoryStore table with one shared, settable clock for the store's mtimes and the engine's now,
// for the maintenance tests.

import { MemoryStore } from '@lake/storage'
import type { StructType } from '@lake/parquet'
import { createEngine, loadSnapshot, writeDelta } from '../../src/internal.js'
import type { Engine, Snapshot, WriteOptions } from '../../src/internal.js'

export const DAY_MS = 86_400_000
export const HOUR_MS = 3_600_000

/** A table in memory whose clock tests move forward. */
export class ClockTable {
  now = Date.UTC(2024, 0, 1)
  readonly store = new MemoryStore({ now: () => this.now, url: 'memory://t' })
  readonly engine: Engine = createEngine(this.store, { now: () => this.now })

  /** Writes rows (default mode append), then moves the clock one second on. */
  async write(rows: readonly unknown[], options: WriteOptions = {}): Promise<void> {
    await writeDelta(this.engine, rows, { mode: 'append', ...options })
    this.now += 1000
  }

  snapshot(version?: number): Promise<Snapshot> {
    return loadSnapshot(this.engine, version === undefined ? {} : { version })
  }

  async keys(): Promise<string[]> {
    const out: string[] = []
    for await (const meta of this.store.list('')) out.push(meta.path)
    return out
  }

  async rows(version?: number): Promise<Record<string, unknown>[]> {
    const snapshot = await this.snapshot(version)
    const { scan } = await import('../../src/scan/scan.js')
    const out: Record<string, unknown>[] = []
    for await (const batch of scan(this.engine, snapshot)) out.push(...batch)
    return out
  }
}

export const EVENTS: StructType = {
  kind: 'struct',
  fields: [
    { name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
    { name: 'day', type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} },
  ],
}

export const ids = (rows: readonly Record<string, unknown>[]): number[] => rows.map((r) => Number(r['id'])).sort((a, b) => a - b)
