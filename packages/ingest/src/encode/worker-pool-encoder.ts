// Encoder over a piscina pool of worker threads running `encode-worker.js` (compiled to dist/).
// Rows go to the worker by structured clone, NDJSON line chunks by transfer of their buffer (moved
// back with the result, for the caller to reuse); encoded bytes come back by clone. Each worker builds the codec from its `workerModule`.

import { fileURLToPath } from 'node:url'
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

/** A fixed pool of `threads` encoder workers, each encoding with `codec` (built from its `workerModule`). */
export class WorkerPoolEncoder implements Encoder {
  readonly concurrency: number
  readonly #pool: Piscina<WorkerTask, LinesResult | HandedBack>
  readonly #codecModule: string
  readonly #tasksPerWorker: number
  #checked: Promise<unknown> | undefined
  #closed = false

  /**
   * `tasksPerWorker`: chunks a worker holds at once (the next ones wait in its port, so it starts them
   * without a round trip to the calling thread; SharedEncoder uses 2).
   * @throws IngestError `InvalidArgument` when `codec` has no `workerModule` (`context.codec`).
   */
  constructor(threads: number, codec: ParquetCodec = DEFAULT_CODEC, tasksPerWorker = 1) {
    if (codec.workerModule === undefined) {
      const message = `encoder threads: expected a codec with a workerModule, found codec '${codec.name}' without one (0 encoder threads encode on the calling thread)`
      throw new IngestError('InvalidArgument', message, { context: { codec: codec.name } })
    }
    this.concurrency = threads
    this.#tasksPerWorker = tasksPerWorker
    this.#codecModule = codec.workerModule === DEFAULT_CODEC.workerModule ? BUILTIN_CODEC : codec.workerModule
    this.#pool = new Piscina({
      filename: workerFile(),
      minThreads: threads,
      maxThreads: threads,
      idleTimeout: IDLE_TIMEOUT_MS,
      concurrentTasksPerWorker: tasksPerWorker,
      atomics: 'async',
    })
  }

  /** @throws IngestError `InvalidArgument` (once per pool) when the codec's `workerModule` has no `createCodec`. */
  async encode(task: EncodeTask, signal?: AbortSignal): Promise<EncodedDataFile[]> {
    await this.#checkCodec()
    const workerTask: WorkerTask = { ...task, codecModule: this.#codecModule }
    return filesOf((await this.#run(workerTask, [], signal)) as EncodeResult)
  }

  /**
   * @throws see `encode`. The chunk's bytes are transferred to the worker (detached here); the worker
   * moves their ArrayBuffer back with the result, and `reuse` gets it.
   */
  async encodeLines(task: LinesTask | CsvTask, signal?: AbortSignal, reuse?: (buffer: ArrayBuffer) => void): Promise<EncodedDataFile[]> {
    await this.#checkCodec()
    const workerTask: WorkerTask = { ...task, codecModule: this.#codecModule }
    const transferList = [task.bytes.buffer as ArrayBuffer]
    const done = await this.#run(workerTask, transferList, signal)
    if (!('buffer' in done)) return linesFilesOf(done)
    reuse?.(done.buffer)
    return linesFilesOf(done.result)
  }

  /**
   * Runs a task. Piscina runs a task that carries an AbortSignal alone on its worker (aborting it
   * terminates the worker), so workers meant to hold several tasks get the signal here instead: the
   * caller's promise rejects at once on abort while the task finishes in the background (its result
   * dropped; `close()` terminates the workers). With one task a worker, piscina gets the signal.
   */
  #run(task: WorkerTask, transferList: ArrayBuffer[], signal: AbortSignal | undefined): Promise<LinesResult | HandedBack> {
    if (signal === undefined || this.#tasksPerWorker === 1) return this.#pool.run(task, signal === undefined ? { transferList } : { transferList, signal })
    signal.throwIfAborted()
    const running = this.#pool.run(task, { transferList })
    return new Promise((resolve, reject) => {
      const abort = (): void => {
        running.catch(() => undefined)
        reject(signal.reason)
      }
      signal.addEventListener('abort', abort, { once: true })
      running.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
    })
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
 * The built worker entry (`worker-entry.cjs`, which loads the worker's bundle). Under a TypeScript
 * test runner this module is `src/encode/*.ts`, which has no built sibling: the one in `dist/` then.
 */
function workerFile(): string {
  const here = import.meta.url
  return fileURLToPath(new URL(here.endsWith('.ts') ? '../../dist/encode/worker-entry.cjs' : './worker-entry.cjs', here))
}
