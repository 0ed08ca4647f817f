// `@lake/ingest/append`: the appends, the ingest job and the sources for a caller that encodes in
// worker threads (the `lake` CLI), without the encoders' own functions (`encodeChunk`,
// `encodeLines`), so the calling thread loads neither the Arrow builders nor parquet-wasm. Re-exports
// only; every name is also in `@lake/ingest`.
export { IngestError } from './errors.js'
export { createEncoder, createSharedEncoder, defaultEncoderThreads } from './encode/encoder.js'
export { appendRows } from './append/append-rows.js'
export { appendNdjson, DEFAULT_LINE_CHUNK_BYTES } from './append/append-ndjson.js'
export type { NdjsonFile } from './append/append-ndjson.js'
export { appendCsv } from './append/append-csv.js'
export { runIngestJob } from './job/ingest-job.js'
export { NdjsonSource } from './sources/ndjson-source.js'
export { CsvSource } from './sources/csv-source.js'
export { resolveRows } from './sources/exact-numbers.js'
