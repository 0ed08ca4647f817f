// Encoder over a piscina pool of worker threads running `encode-worker.js` (compiled to dist/).
// Rows go to the worker by structured clone, NDJSON line chunks by transfer of their buffer (moved
// back with the result, for the caller to reuse); encoded bytes come back by clone. Each worker builds the codec from its `workerModule`.

import { existsSync } from 'node:fs'
import { Piscina } from 'piscina'
import { DEFAULT_CODEC } from '@lake/core/internal'
import type { EncodedDataFile } from '@lake/core/internal'
import type { ParquetCodec } from '@lake/parquet'
import { IngestError } from '../errors.js'
import { BUILTIN_CODEC, codecFactory } from './codec-module.js'
import type { EncodeTask } from './encode-chunk.js'
import { filesOf } from './encode-result.js'
import type { EncodeResult } from './encode-result.js'
import type { LinesTask } from '../lines/encode-lines.js'
import { linesFilesOf } from '../lines/lines-result.js'
import type { LinesResult } from '../lines/lines-result.js'
import type { CsvTask } from '../csv/encode-csv.js'
import type { HandedBack, WorkerTask } from './encode-worker.js'
import type { Encoder } from './encoder-types.js'

/** Idle workers exit after this long; a job keeps them busy between batches. */
const IDLE_TIMEOUT_MS = 30_000 // 30 s

/**
 * Workers load the (ESM) worker module with `import()`, not `require()`: Node 20's require of an ES
 * module aborts the whole process (FATAL ERROR in `v8::Module::IsGraphAsync`) when the pool is
 * destroyed while a worker is still loading it, as happens when a chunk fails before every worker started.
 */
const NO_REQUIRE_ESM = '--no-experimental-require-module'
const WORKER_EXEC_ARGV = process.allowedNodeEnvironmentFlags.has(NO_REQUIRE_ESM) ? [...process.execArgv, NO_REQUIRE_ESM] : undefined

/** A fixed pool of `threads` encoder workers, each encoding with `codec` (built from its `workerModule`). */
export class WorkerPoolEncoder implements Encoder {
  readonly concurrency: number
  readonly #pool: Piscina<WorkerTask, LinesResult | HandedBack>
  readonly #codecModule: string
  #checked: Promise<unknown> | undefined
  #closed = false

  /** @throws IngestError `InvalidArgument` when `codec` has no `workerModule` (`context.codec`). */
  constructor(threads: number, codec: ParquetCodec = DEFAULT_CODEC) {
    if (codec.workerModule === undefined) {
      const message = `encoder threads: expected a codec with a workerModule, found codec '${codec.name}' without one (0 encoder threads encode on the calling thread)`
      throw new IngestError('InvalidArgument', message, { context: { codec: codec.name } })
    }
    this.concurrency = threads
    this.#codecModule = codec.workerModule === DEFAULT_CODEC.workerModule ? BUILTIN_CODEC : codec.workerModule
    this.#pool = new Piscina({
      filename: workerUrl().href,
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: IDLE_TIMEOUT_MS,
      ...(WORKER_EXEC_ARGV === undefined ? {} : { execArgv: WORKER_EXEC_ARGV }),
    })
  }

  /** @throws IngestError `InvalidArgument` (once per pool) when the codec's `workerModule` has no `createCodec`. */
  async encode(task: EncodeTask, signal?: AbortSignal): Promise<EncodedDataFile[]> {
    await this.#checkCodec()
    const workerTask: WorkerTask = { ...task, codecModule: this.#codecModule }
    return filesOf((await this.#pool.run(workerTask, signal === undefined ? {} : { signal })) as EncodeResult)
  }

  /**
   * @throws see `encode`. The chunk's bytes are transferred to the worker (detached here); the worker
   * moves their ArrayBuffer back with the result, and `reuse` gets it.
   */
  async encodeLines(task: LinesTask | CsvTask, signal?: AbortSignal, reuse?: (buffer: ArrayBuffer) => void): Promise<EncodedDataFile[]> {
    await this.#checkCodec()
    const workerTask: WorkerTask = { ...task, codecModule: this.#codecModule }
    const transferList = [task.bytes.buffer as ArrayBuffer]
    const done = await this.#pool.run(workerTask, signal === undefined ? { transferList } : { transferList, signal })
    if (!('buffer' in done)) return linesFilesOf(done)
    reuse?.(done.buffer)
    return linesFilesOf(done.result)
  }

  /** Imports a custom codec's module here once, so a bad one fails as InvalidArgument before any task. */
  #checkCodec(): Promise<unknown> {
    this.#checked ??= this.#codecModule === BUILTIN_CODEC ? Promise.resolve() : codecFactory(this.#codecModule)
    return this.#checked
  }

  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#pool.destroy()
  }
}

/**
 * The built worker: `encode-worker.bundle.js` (the worker and everything it imports but the native
 * and wasm modules in one file, made by the package's build: a worker starts ~4x faster than from
 * the ~370 ES modules of `encode-worker.js`), else `encode-worker.js`. Under a TypeScript test runner
 * this module is `src/encode/*.ts`, which has no `.js` sibling: the built worker in `dist/` then.
 */
function workerUrl(): URL {
  const here = import.meta.url
  const dir = here.endsWith('.ts') ? new URL('../../dist/encode/', here) : new URL('./', here)
  const bundle = new URL('encode-worker.bundle.js', dir)
  return existsSync(bundle) ? bundle : new URL('encode-worker.js', dir)
}
