// chunkRows: bounded chunks by rows and estimated bytes, from sync and async inputs.
import { Readable } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { chunkRows } from '../src/append/chunk-rows.js'

async function sizes<T>(input: Iterable<T> | AsyncIterable<T>, limits: { rows?: number; bytes?: number }): Promise<number[]> {
  const out: number[] = []
  for await (const chunk of chunkRows(input, limits)) out.push(chunk.length)
  return out
}

describe('chunkRows', () => {
  it('cuts an array at the row limit and keeps the remainder', async () => {
    expect(await sizes(Array.from({ length: 10 }, (_, i) => ({ i })), { rows: 4 })).toEqual([4, 4, 2])
  })

  it('cuts by estimated bytes before the row limit', async () => {
    // Every 16th row is measured (~108 bytes) and stands for 16: two samples pass 3,000 bytes.
    const rows = Array.from({ length: 64 }, () => ({ s: 'x'.repeat(100) }))
    expect(await sizes(rows, { rows: 100, bytes: 3_000 })).toEqual([17, 17, 17, 13])
  })

  it('reads async iterables and object-mode Readables lazily', async () => {
    let pulled = 0
    async function* gen(): AsyncGenerator<{ i: number }> {
      for (let i = 0; i < 5; i++) {
        pulled++
        yield { i }
      }
    }
    const it1 = chunkRows(gen(), { rows: 2 })[Symbol.asyncIterator]()
    await it1.next()
    expect(pulled).toBe(2)
    expect(await sizes(Readable.from([{ a: 1 }, { a: 2 }, { a: 3 }]), { rows: 2 })).toEqual([2, 1])
  })

  it('yields nothing for an empty input', async () => {
    expect(await sizes([], {})).toEqual([])
  })
})
