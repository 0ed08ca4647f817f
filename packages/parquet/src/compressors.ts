// Codec wiring: the synchronous page compressors hyparquet-writer needs for each lake Compression, and the
// decompressors (hyparquet-compressors) used on read. zstd-napi is loaded lazily, only when zstd is written.

import { createRequire } from 'node:module'
import { gzipSync } from 'node:zlib'
import type { CompressionCodec } from 'hyparquet'
import type { ParquetWriteOptions } from 'hyparquet-writer'
import { ParquetError } from './errors.js'
import type { Compression } from './types.js'

type ZstdModule = typeof import('zstd-napi')
type WriteCompressors = NonNullable<ParquetWriteOptions['compressors']>

let zstd: ZstdModule | undefined

function loadZstd(): ZstdModule {
  if (zstd === undefined) {
    try {
      zstd = createRequire(import.meta.url)('zstd-napi') as ZstdModule
    } catch (cause) {
      throw new ParquetError("zstd compression needs the native module 'zstd-napi', which failed to load", { cause })
    }
  }
  return zstd
}

/** The Parquet codec and the compressor map for writing with `compression`. */
export function writeCodec(compression: Compression): { codec: CompressionCodec; compressors: WriteCompressors } {
  switch (compression) {
    case 'zstd': {
      const module = loadZstd()
      return { codec: 'ZSTD', compressors: { ZSTD: input => module.compress(input) } }
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
