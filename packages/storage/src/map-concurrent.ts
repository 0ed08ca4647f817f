// Bounded concurrency over a finite list: the one helper lake uses instead of bare Promise.all.
// Must not start more than `limit` calls at once; fails fast on the first rejection.

/**
 * Calls `fn` on every item with at most `limit` calls in flight and returns the results in input
 * order. On the first rejection no new calls start and that rejection is thrown (after the calls
 * already in flight settle, so none is left floating).
 */
export async function mapConcurrent<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  let failure: { readonly error: unknown } | undefined
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
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker)
  await Promise.all(workers)
  if (failure !== undefined) throw failure.error
  return results
}
