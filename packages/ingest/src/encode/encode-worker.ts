// The piscina worker: encodes one chunk per task (rows, or NDJSON lines it parses itself) with the
// codec built from the task's `codecModule` (once per thread). Loaded by `WorkerPoolEncoder` from
// dist/ as `encode-worker.js`; must stay free of I/O and shared state.

import { move, transferableSymbol, valueSymbol } from 'piscina'
import { DEFAULT_CODEC } from '@lake/core/encode'
import { BUILTIN_CODEC, codecFromModule } from './codec-module.js'
import { encodeChunk } from './encode-chunk.js'
import type { EncodeTask } from './encode-chunk.js'
import { encodeLines } from '../lines/encode-lines.js'
import { encodeCsv } from '../csv/encode-csv.js'
import type { CsvTask } from '../csv/encode-csv.js'
import type { LinesResult, LinesTask } from '../lines/encode-lines.js'
import type { ParquetCodec } from '@lake/parquet'

/** A task as the pool sends it: the chunk plus the codec's `workerModule` (`BUILTIN_CODEC` for the default codec). */
export type WorkerTask = (EncodeTask | LinesTask | CsvTask) & { readonly codecModule: string }

const codecs = new Map<string, Promise<ParquetCodec>>()

/** The result of a task with bytes, and the bytes' ArrayBuffer, moved back (not copied) for the calling thread to reuse. */
export interface HandedBack {
  readonly result: LinesResult
  readonly buffer: ArrayBuffer
}

/** Piscina calls the default export with each task; a task with bytes resolves to a `HandedBack` on the calling thread. */
export default async function encodeWorker(task: WorkerTask): Promise<LinesResult | ReturnType<typeof move>> {
  let codec = codecs.get(task.codecModule)
  if (codec === undefined) {
    // The default codec is this module's own (bundled with it in dist/encode/encode-worker.bundle.js).
    codec = task.codecModule === BUILTIN_CODEC ? Promise.resolve(DEFAULT_CODEC) : codecFromModule(task.codecModule)
    codecs.set(task.codecModule, codec)
  }
  if (!('kind' in task)) return encodeChunk(task, await codec)
  const result = task.kind === 'csv' ? encodeCsv(task, await codec) : encodeLines(task, await codec)
  // Nothing of the result views the chunk's bytes (encoded files are fresh buffers): it is safe to move them back.
  const buffer = task.bytes.buffer as ArrayBuffer
  const handedBack: HandedBack = { result, buffer }
  return move({ [transferableSymbol]: [buffer], [valueSymbol]: handedBack })
}
