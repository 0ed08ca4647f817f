// ingestPlan and the ingest resources: how `lake ingest` commits and writes for each combination
// of options, and what --concurrency is allowed to hold.

import { availableParallelism } from 'node:os'
import { describe, expect, it } from 'vitest'
import { createEngine } from '@lake/core'
import { InlineEncoder } from '@lake/ingest'
import { LocalStore } from '@lake/storage'
import { ingestPlan } from '../src/ingest/ingest-pipeline.js'
import { INLINE_LINE_BYTES, startLineEncoder } from '../src/ingest/line-route.js'
import { BYTES_PER_LINE_ENCODER, IN_FLIGHT_BYTES, fileWriteOptions, lineWriteOptions } from '../src/ingest/resources.js'

describe('ingestPlan', () => {
  it.each([
    [{ mode: 'append', appId: 'j' }, { commits: 'batches', writer: 'files' }],
    [{ mode: 'append', appId: 'j', schemaMode: 'merge' }, { commits: 'batches', writer: 'files' }],
    [{ mode: 'append' }, { commits: 'one', writer: 'files' }],
    [{ mode: 'append', schemaMode: 'merge' }, { commits: 'one', writer: 'writeDelta' }],
    [{ mode: 'overwrite', appId: 'j' }, { commits: 'one', writer: 'writeDelta' }],
    [{ mode: 'overwrite', replaceWhere: "d = '1'" }, { commits: 'one', writer: 'writeDelta' }],
    [{ mode: 'error' }, { commits: 'one', writer: 'writeDelta' }],
    [{ mode: 'ignore' }, { commits: 'one', writer: 'writeDelta' }],
  ] as const)('%o is planned as %o', (input, plan) => {
    expect(ingestPlan(input)).toEqual(plan)
  })
})

describe('fileWriteOptions', () => {
  it('never starts more encoder threads than cores and bounds the input in flight whatever the concurrency', () => {
    for (const concurrency of [1, 8, 64]) {
      const o = fileWriteOptions(concurrency)
      const encoders = o.encoders ?? 0
      expect(encoders).toBeLessThanOrEqual(Math.max(1, availableParallelism() - 1))
      expect(o.uploadConcurrency).toBe(concurrency)
      const chunks = encoders + Math.ceil(concurrency / 4) + 1
      expect((o.chunkBytes ?? 0) * chunks).toBeLessThanOrEqual(Math.max(IN_FLIGHT_BYTES, (4 << 20) * chunks))
    }
  })
})

describe('lineWriteOptions', () => {
  const cores = Math.max(1, availableParallelism())
  it('starts one encoder per core for an input of unknown or large size, at most --concurrency', () => {
    expect(lineWriteOptions(undefined).encoders).toBe(cores)
    expect(lineWriteOptions(undefined, 100 * BYTES_PER_LINE_ENCODER).encoders).toBe(cores)
    expect(lineWriteOptions(1, 100 * BYTES_PER_LINE_ENCODER).encoders).toBe(1)
  })

  it('starts one encoder for a small input (a one-line file does not start a worker per core)', () => {
    expect(lineWriteOptions(undefined, 0).encoders).toBe(1)
    expect(lineWriteOptions(undefined, 60).encoders).toBe(1)
    expect(lineWriteOptions(undefined, BYTES_PER_LINE_ENCODER).encoders).toBe(1)
    expect(lineWriteOptions(undefined, BYTES_PER_LINE_ENCODER + 1).encoders).toBe(Math.min(2, cores))
  })
})

describe('startLineEncoder', () => {
  const engine = createEngine(new LocalStore('/nonexistent-lake-test-table'))
  it('encodes an input of at most INLINE_LINE_BYTES on the main thread, with no worker', async () => {
    for (const bytes of [0, 60, INLINE_LINE_BYTES]) {
      const encoder = startLineEncoder(engine, undefined, bytes)
      expect(encoder).toBeInstanceOf(InlineEncoder)
      await encoder.close()
    }
  })

  it('starts a worker for a larger input of one encoder, and shares the work with the main thread above that', async () => {
    const one = startLineEncoder(engine, undefined, INLINE_LINE_BYTES + 1)
    expect(one).not.toBeInstanceOf(InlineEncoder)
    expect(one.concurrency).toBe(1)
    await one.close()
    const many = startLineEncoder(engine, 2, 100 * BYTES_PER_LINE_ENCODER)
    expect(many.concurrency).toBe(Math.min(2, Math.max(1, availableParallelism())))
    await many.close()
  })
})
