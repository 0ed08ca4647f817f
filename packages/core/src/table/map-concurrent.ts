// mapConcurrent: the one bounded-concurrency helper of @lake/core (no bare Promise.all over
// unbounded input). Results keep input order; the first failure rejects after in-flight work settles.

/**
 * Applies `fn` to every item with at most `limit` calls in flight.
 * @returns the results in input order.
 * @throws the first error any call threw (remaining items are not started).
 */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failure: { error: unknown } | undefined
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < items.length) {
      const index = next++
      try {
        results[index] = await fn(items[index] as T, index)
      } catch (error) {
        failure ??= { error }
      }
    }
  }
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, () => worker())
  await Promise.all(workers)
  if (failure !== undefined) throw failure.error
  return results
}
