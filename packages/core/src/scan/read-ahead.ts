// Ordered read-ahead over several async sources: up to `limit` sources run at once, each buffering
// at most `buffer` items, and items come out source by source in input order. Bounded memory.

/** One source's bounded buffer, filled by a pump and drained by the consumer. */
class Channel<T> {
  readonly #items: T[] = []
  readonly #capacity: number
  #closed = false
  #failure: { readonly error: unknown } | undefined
  #cancelled = false
  #wakeConsumer: (() => void) | undefined
  #wakeProducer: (() => void) | undefined

  constructor(capacity: number) {
    this.#capacity = capacity
  }

  #notifyConsumer(): void {
    const wake = this.#wakeConsumer
    this.#wakeConsumer = undefined
    wake?.()
  }

  #notifyProducer(): void {
    const wake = this.#wakeProducer
    this.#wakeProducer = undefined
    wake?.()
  }

  /** Copies the source into the buffer, waiting while it is full. Never rejects: failures are kept. */
  async pump(source: () => AsyncIterable<T>): Promise<void> {
    try {
      for await (const item of source()) {
        if (this.#cancelled) return
        this.#items.push(item)
        this.#notifyConsumer()
        while (this.#items.length >= this.#capacity && !this.#cancelled) {
          await new Promise<void>((resolve) => (this.#wakeProducer = resolve))
        }
        if (this.#cancelled) return
      }
    } catch (error) {
      this.#failure = { error }
    } finally {
      this.#closed = true
      this.#notifyConsumer()
    }
  }

  /** Yields the source's items in order; rethrows its failure after the items before it. */
  async *drain(): AsyncGenerator<T, void, undefined> {
    for (;;) {
      if (this.#items.length > 0) {
        const item = this.#items.shift() as T
        this.#notifyProducer()
        yield item
      } else if (this.#failure !== undefined) {
        throw this.#failure.error
      } else if (this.#closed) {
        return
      } else {
        await new Promise<void>((resolve) => (this.#wakeConsumer = resolve))
      }
    }
  }

  /** Stops the pump at its next item; the source's iterator is closed by `for await`. */
  cancel(): void {
    this.#cancelled = true
    this.#notifyProducer()
  }
}

/**
 * Concatenates `sources` in order while reading ahead: at most `limit` sources are open at once,
 * each holding at most `buffer` unconsumed items. Stopping early (break, error) cancels the rest.
 */
export async function* readAhead<T>(
  sources: Iterable<() => AsyncIterable<T>>,
  limit: number,
  buffer: number,
): AsyncGenerator<T, void, undefined> {
  const pending = sources[Symbol.iterator]()
  const open: Channel<T>[] = []
  const fill = (): void => {
    while (open.length < Math.max(1, limit)) {
      const next = pending.next()
      if (next.done === true) return
      const channel = new Channel<T>(Math.max(1, buffer))
      open.push(channel)
      void channel.pump(next.value)
    }
  }
  try {
    fill()
    while (open.length > 0) {
      yield* (open[0] as Channel<T>).drain()
      open.shift()
      fill()
    }
  } finally {
    for (const channel of open) channel.cancel()
  }
}
