// A hyparquet-style AsyncBuffer over one object of an ObjectStore: ranged gets, footer cached.
// Used for checkpoint Parquet files here and for data files by the scan.

import type { AsyncBuffer } from '@lake/parquet'
import type { ObjectStore } from '@lake/storage'

/** Bytes at the end of a file kept after the first tail read (Parquet footer and metadata). */
const FOOTER_CACHE_BYTES = 512 * 1024 // 512 KiB

/**
 * An `AsyncBuffer` reading `path` from `store` with ranged gets. The first read that touches the
 * last bytes of the file (the Parquet footer) fetches up to `FOOTER_CACHE_BYTES` from the end once
 * and later tail reads are answered from that cache.
 * @param size - The object size when already known (from a listing); otherwise one `head` is made.
 * @throws StorageError `NotFound` when the object does not exist.
 */
export async function storeAsyncBuffer(
  store: ObjectStore,
  path: string,
  size?: number,
  signal?: AbortSignal,
): Promise<AsyncBuffer> {
  const byteLength = size ?? (await store.head(path, { signal })).size
  const tailStart = Math.max(0, byteLength - FOOTER_CACHE_BYTES)
  let tail: Promise<Uint8Array> | undefined

  const readTail = (): Promise<Uint8Array> => {
    tail ??= store.get(path, { range: { offset: tailStart, length: byteLength - tailStart }, signal }).catch((err: unknown) => {
      tail = undefined // a failed read is not cached
      throw err
    })
    return tail
  }

  return {
    byteLength,
    async slice(start: number, end: number = byteLength): Promise<ArrayBuffer> {
      const from = Math.max(0, start)
      const to = Math.min(end, byteLength)
      if (to <= from) return new ArrayBuffer(0)
      if (from >= tailStart) {
        const bytes = await readTail()
        return toArrayBuffer(bytes.subarray(from - tailStart, to - tailStart))
      }
      return toArrayBuffer(await store.get(path, { range: { offset: from, length: to - from }, signal }))
    },
  }
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.byteLength)
  copy.set(bytes)
  return copy.buffer
}
