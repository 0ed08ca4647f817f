// SharedEncoder: a worker pool plus the calling thread. Which chunk goes where (the pool while it has
// room, then the calling thread when it is free), the calling thread's chunk buffer handed back, its
// errors the pool's, and appendNdjson through it writing what the pool alone writes.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { StructType } from '@lake/core'
import type { EncodedDataFile } from '@lake/core/internal'
import { MemoryStore } from '@lake/storage'
import { appendNdjson, createSharedEncoder, InlineEncoder, WorkerPoolEncoder } from '../src/index.js'
import type { Encoder } from '../src/index.js'
import { SharedEncoder, TASKS_PER_WORKER } from '../src/encode/shared-encoder.js'
import type { LinesTask } from '../src/lines/encode-lines.js'
import { tempDir } from './temp-dir.js'
import { rowsOf } from './table-rows.js'

const SCHEMA = { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} }] } as StructType

function task(text: string): LinesTask {
  return { kind: 'lines', bytes: new Uint8Array(Buffer.from(text)), firstLine: 1, firstRow: 0, atStart: true, schema: SCHEMA, partitionColumns: [] }
}

/** An encoder that records its tasks and resolves each when told. */
class HeldEncoder implements Encoder {
  readonly calls: string[] = []
  readonly #release: (() => void)[] = []
  constructor(readonly concurrency: number) {}
  encode(): Promise<EncodedDataFile[]> {
    return Promise.reject(new Error('not used'))
  }
  encodeLines(t: LinesTask): Promise<EncodedDataFile[]> {
    this.calls.push(Buffer.from(t.bytes).toString())
    return new Promise((resolve) => this.#release.push(() => resolve([])))
  }
  releaseAll(): void {
    for (const release of this.#release.splice(0)) release()
  }
  async close(): Promise<void> {}
}

describe('SharedEncoder', () => {
  it('fills the pool (TASKS_PER_WORKER a worker) first, then the calling thread, then queues on the pool', async () => {
    const pool = new HeldEncoder(1)
    const inline = new HeldEncoder(1)
    const shared = new SharedEncoder(pool, inline)
    expect(shared.concurrency).toBe(2)
    const runs = ['a', 'b', 'c', 'd'].map((t) => shared.encodeLines(task(t)))
    await new Promise((r) => setImmediate(r))
    expect(TASKS_PER_WORKER).toBe(2)
    expect(pool.calls).toEqual(['a', 'b', 'd'])
    expect(inline.calls).toEqual(['c'])
    pool.releaseAll()
    inline.releaseAll()
    await Promise.all(runs)
    const later = shared.encodeLines(task('e'))
    await new Promise((r) => setImmediate(r))
    expect(pool.calls.at(-1)).toBe('e')
    pool.releaseAll()
    await later
  })

  it("hands the calling thread's chunk buffer back once it is encoded, and fails a bad line as the pool does", async () => {
    const pool = new WorkerPoolEncoder(1)
    const full = new HeldEncoder(0)
    const shared = new SharedEncoder(full, new InlineEncoder())
    try {
      const handed: ArrayBuffer[] = []
      const good = task('{"id":1}\n{"id":2}\n')
      const files = await shared.encodeLines(good, undefined, (b) => handed.push(b))
      expect(files.map((file) => file.numRecords)).toEqual([2])
      expect(handed).toEqual([good.bytes.buffer])
      const bad = '{"id":1}\n{"id":"x"}\n'
      const fromPool = await pool.encodeLines(task(bad)).then(() => undefined, (err: unknown) => err)
      const inline = await shared.encodeLines(task(bad)).then(() => undefined, (err: unknown) => err)
      expect(inline).toBeInstanceOf(Error)
      expect(inline).toMatchObject({ name: (fromPool as Error).name, code: (fromPool as { code: string }).code, message: (fromPool as Error).message })
      expect(full.calls).toEqual([])
    } finally {
      await Promise.all([pool.close(), shared.close()])
    }
  }, 60_000)

  it('appendNdjson through one worker plus the calling thread writes every line once', async () => {
    const path = join(tempDir('lake-shared-encoder-'), 'in.ndjson')
    writeFileSync(path, Array.from({ length: 6000 }, (_, i) => `{"id":${i}}\n`).join(''))
    const store = new MemoryStore()
    const encoder = createSharedEncoder(1)
    try {
      const result = await appendNdjson(store, { path }, { schema: SCHEMA, encoder, chunkRows: 500 })
      expect(result.metrics.rows).toBe(6000)
      expect(result.metrics.files).toBe(12)
    } finally {
      await encoder.close()
    }
    const ids = ((await rowsOf(store)) as { id: bigint }[]).map((r) => Number(r.id)).sort((a, b) => a - b)
    expect(ids).toEqual(Array.from({ length: 6000 }, (_, i) => i))
  }, 60_000)

  it('a pool holding two chunks a worker answers an abort at once and stays usable (the signal is not given to piscina, which would run one chunk a worker)', async () => {
    const pool = new WorkerPoolEncoder(1, undefined, TASKS_PER_WORKER)
    try {
      const controller = new AbortController()
      const big = task(Array.from({ length: 200_000 }, (_, i) => `{"id":${i}}\n`).join(''))
      const running = pool.encodeLines(big, controller.signal)
      const stop = new Error('stopped by the test')
      controller.abort(stop)
      await expect(running).rejects.toBe(stop)
      await expect(pool.encodeLines(task('{"id":1}\n'), controller.signal)).rejects.toBe(stop)
      const files = await pool.encodeLines(task('{"id":1}\n{"id":2}\n'), new AbortController().signal)
      expect(files.map((file) => file.numRecords)).toEqual([2])
    } finally {
      await pool.close()
    }
  }, 60_000)
})
