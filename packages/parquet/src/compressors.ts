// Codec wiring: the synchronous page compressors hyparquet-writer needs for each lake Compression, and the
// decompressors used on read: hyparquet-compressors' (pure JS), with zstd pages decompressed by the native
// zstd-napi when it loads (3-8x faster than fzstd on 80-180 KB pages, bench/RESULTS.md). zstd-napi is loaded
// lazily, when zstd is first written or read; reads fall back to fzstd when it cannot load.

import { createRequire } from 'node:module'
import { gzipSync } from 'node:zlib'
import type { CompressionCodec, Compressors } from 'hyparquet'
import { compressors as jsDecompressors } from 'hyparquet-compressors'
import type { ParquetWriteOptions } from 'hyparquet-writer'
import { ParquetError } from './errors.js'
import type { Compression } from './types.js'

type WriteCompressors = NonNullable<ParquetWriteOptions['compressors']>
type ZstdBinding = typeof import('zstd-napi/binding.js')

/** zstd's default level (ZSTD_CLEVEL_DEFAULT), what zstd-napi's `compress` and DuckDB write with. */
const ZSTD_LEVEL = 3

/** The zstd compressor of writes: zstd-napi's native binding (not its index, which loads Node's streams), loaded on first use. */
let writeZstd: ((input: Uint8Array) => Uint8Array) | undefined
/** zstd-napi's decompression context for reads: undefined until tried, null when it failed to load. */
let readZstd: InstanceType<ZstdBinding['DCtx']> | null | undefined

function loadZstd(): (input: Uint8Array) => Uint8Array {
  if (writeZstd === undefined) {
    let binding: ZstdBinding
    try {
      binding = createRequire(import.meta.url)('zstd-napi/binding.js') as ZstdBinding
    } catch (cause) {
      throw new ParquetError("zstd compression needs the native module 'zstd-napi', which failed to load", { cause })
    }
    const context = new binding.CCtx()
    // One output buffer for every page, grown to the largest bound seen: each result is copied out of it.
    let scratch = new Uint8Array(0)
    writeZstd = (input) => {
      const bound = binding.compressBound(input.length)
      if (scratch.length < bound) scratch = new Uint8Array(bound)
      return scratch.slice(0, context.compress(scratch, input, ZSTD_LEVEL))
    }
  }
  return writeZstd
}

/** The Parquet codec and the compressor map for writing with `compression`. */
export function writeCodec(compression: Compression): { codec: CompressionCodec; compressors: WriteCompressors } {
  switch (compression) {
    case 'zstd': {
      return { codec: 'ZSTD', compressors: { ZSTD: loadZstd() } }
    }
    case 'gzip':
      return { codec: 'GZIP', compressors: { GZIP: input => gzipSync(input) } }
    case 'snappy':
      return { codec: 'SNAPPY', compressors: {} }
    case 'uncompressed':
      return { codec: 'UNCOMPRESSED', compressors: {} }
    default: {
      const unknown: never = compression
      throw new ParquetError(`expected compression zstd, snappy, gzip or uncompressed, found '${String(unknown)}'`)
    }
  }
}

/** The zstd decompressor of reads: native when zstd-napi loads, else fzstd. */
function decompressZstd(input: Uint8Array, outputLength: number): Uint8Array {
  if (readZstd === undefined) {
    try {
      readZstd = new (createRequire(import.meta.url)('zstd-napi/binding.js') as ZstdBinding).DCtx()
    } catch {
      readZstd = null
    }
  }
  if (readZstd === null) return (jsDecompressors.ZSTD as NonNullable<Compressors['ZSTD']>)(input, outputLength)
  // Into a buffer of the page header's size: a frame claiming more fails (too small) instead of allocating what it claims.
  const out = new Uint8Array(outputLength)
  const written = readZstd.decompress(out, input)
  return written === outputLength ? out : out.subarray(0, written)
}

/** The page decompressors of reads, by Parquet codec. */
export const readDecompressors: Compressors = { ...jsDecompressors, ZSTD: decompressZstd }
