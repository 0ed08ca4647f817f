// Worker threads that encode Arrow IPC streams as Parquet files (parquet-wasm), so the files of one
// large write are encoded on every core. Started lazily: a worker is created only when a file waits and
// every worker is busy (never more than `threads`); idle workers do not keep the process alive and
// exit after `IDLE_MS`. Each worker owns a shared buffer the IPC stream is copied into, kept between
// files (touching fresh memory costs about as much as encoding it on this machine, see ipc-stream.ts).

import { Worker } from 'node:worker_threads'
import { ParquetError } from '../../errors.js'
import { copyPieces } from '../ipc-stream.js'
import type { IpcPieces } from '../ipc-stream.js'
import type { WasmWriteOptions } from '../wasm-writer.js'
import type { EncodeJob, EncodeReply } from './messages.js'

/** Idle workers exit after this long (their wasm memory and buffer are released). */
const IDLE_MS = 10_000

/** The context of every error of the pool: failures of the encoder, not of the data. */
const THREAD_CONTEXT = { encoderThread: true }

interface Pending {
  readonly id: number
  readonly ipc: IpcPieces
  readonly options: WasmWriteOptions
  readonly resolve: (bytes: Uint8Array) => void
  readonly reject: (err: Error) => void
}

interface Slot {
  readonly worker: Worker
  buffer: SharedArrayBuffer | undefined
  job: Pending | undefined
  idle: NodeJS.Timeout | undefined
}

/** Options of {@link ArrowEncodePool}. */
export interface EncodePoolOptions {
  /** Most worker threads. */
  readonly threads: number
  /** The worker module; the compiled encode-worker.js by default (tests pass a failing one). */
  readonly workerUrl?: URL
  /** Milliseconds an idle worker is kept; `IDLE_MS` (10 s) by default. */
  readonly idleMs?: number
}

/** A pool of parquet-wasm encoder threads. */
export class ArrowEncodePool {
  readonly threads: number
  readonly #workerUrl: URL
  readonly #idleMs: number
  readonly #slots: Slot[] = []
  readonly #queue: Pending[] = []
  #nextId = 0

  constructor(options: EncodePoolOptions) {
    this.threads = options.threads
    this.#workerUrl = options.workerUrl ?? workerUrl()
    this.#idleMs = options.idleMs ?? IDLE_MS
  }

  /** Workers running now (for tests: the pool is sized to the work). */
  get size(): number {
    return this.#slots.length
  }

  /**
   * Encodes an IPC stream (copied into a worker's buffer when a worker takes it: `ipc`'s pieces must
   * stay unchanged until the promise settles) as Parquet bytes with page CRCs.
   * @throws ParquetError with `context.encoderThread` true for a failure of the wasm writer or of the worker thread.
   */
  encode(ipc: IpcPieces, options: WasmWriteOptions): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ id: this.#nextId++, ipc, options, resolve, reject })
      this.#dispatch()
    })
  }

  /** Stops every worker; files still queued or encoding fail. */
  async close(): Promise<void> {
    for (const job of this.#queue.splice(0)) job.reject(new ParquetError('cannot encode Parquet file: the encoder pool was closed', { context: THREAD_CONTEXT }))
    await Promise.all(this.#slots.map(slot => slot.worker.terminate()))
  }

  #dispatch(): void {
    while (this.#queue.length > 0) {
      const slot = this.#slots.find(s => s.job === undefined) ?? (this.#slots.length < this.threads ? this.#spawn() : undefined)
      if (slot === undefined) return
      this.#start(slot, this.#queue.shift() as Pending)
    }
  }

  #start(slot: Slot, job: Pending): void {
    clearTimeout(slot.idle)
    const size = job.ipc.byteLength
    if (slot.buffer === undefined || slot.buffer.byteLength < size) slot.buffer = new SharedArrayBuffer(size)
    copyPieces(job.ipc, new Uint8Array(slot.buffer))
    slot.job = job
    slot.worker.ref()
    slot.worker.postMessage({ id: job.id, ipc: slot.buffer, byteLength: size, options: job.options } satisfies EncodeJob)
  }

  #spawn(): Slot {
    const worker = new Worker(this.#workerUrl)
    const slot: Slot = { worker, buffer: undefined, job: undefined, idle: undefined }
    worker.on('message', (reply: EncodeReply) => this.#settle(slot, reply))
    worker.on('error', (err: Error) => this.#fail(slot, `the encoder thread failed: ${err.message}`, err))
    worker.on('exit', (code: number) => this.#fail(slot, `the encoder thread exited with code ${code}`))
    this.#slots.push(slot)
    return slot
  }

  #settle(slot: Slot, reply: EncodeReply): void {
    const job = slot.job
    slot.job = undefined
    slot.worker.unref()
    slot.idle = setTimeout(() => this.#retire(slot), this.#idleMs).unref()
    if (job !== undefined) {
      if ('error' in reply) job.reject(new ParquetError(reply.error, { context: THREAD_CONTEXT }))
      else job.resolve(reply.bytes)
    }
    this.#dispatch()
  }

  /** Takes `slot` out of the pool (no file is given to it any more) and stops its worker; false when already out. */
  #retire(slot: Slot): boolean {
    const at = this.#slots.indexOf(slot)
    if (at < 0) return false
    this.#slots.splice(at, 1)
    clearTimeout(slot.idle)
    void slot.worker.terminate()
    return true
  }

  /** A worker died: its file fails, later files go to a new worker. */
  #fail(slot: Slot, message: string, cause?: Error): void {
    if (!this.#retire(slot)) return
    slot.job?.reject(new ParquetError(`cannot encode Parquet file: ${message}`, { context: THREAD_CONTEXT, ...(cause === undefined ? {} : { cause }) }))
    this.#dispatch()
  }
}

/**
 * The compiled worker next to this module. Under a TypeScript test runner this module is
 * `src/arrow/encode-pool/*.ts`, which has no `.js` sibling: use the built worker in `dist/` then.
 */
function workerUrl(): URL {
  const here = import.meta.url
  if (here.endsWith('.ts')) return new URL('../../../dist/arrow/encode-pool/encode-worker.js', here)
  return new URL('./encode-worker.js', here)
}
