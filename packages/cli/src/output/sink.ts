// A write target over a Node stream with backpressure that goes quiet when the reader goes away
// (`lake read t | head`): EPIPE marks the sink closed and aborts the producer instead of failing.

import type { Writable } from 'node:stream'

/** Writes text to a stream, waiting for 'drain' when its buffer is full. */
export class Sink {
  readonly #stream: Writable
  readonly #closed = new AbortController()

  constructor(stream: Writable) {
    this.#stream = stream
    stream.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE' || err.code === 'ERR_STREAM_DESTROYED') this.#closed.abort(err)
    })
  }

  /** True once the reader closed the pipe; further writes are dropped. */
  get closed(): boolean {
    return this.#closed.signal.aborted
  }

  /** Aborted when the pipe closes, so producers can stop reading the table. */
  get signal(): AbortSignal {
    return this.#closed.signal
  }

  /** Writes `text`; resolves once the stream can take more (or at once when closed). */
  async write(text: string): Promise<void> {
    if (this.closed || text === '') return
    if (this.#stream.write(text)) return
    await new Promise<void>((resolve) => {
      const done = (): void => {
        this.#stream.off('drain', done)
        this.#closed.signal.removeEventListener('abort', done)
        resolve()
      }
      this.#stream.on('drain', done)
      this.#closed.signal.addEventListener('abort', done)
    })
  }
}
