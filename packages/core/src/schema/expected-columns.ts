// The "expected ..." half of an unknown-column message: the names a caller could have meant, at most
// MAX_LISTED of them, and a plain sentence when there are none (an empty list reads as a bug).

/** Names listed before "... and N more". */
export const MAX_LISTED = 20

/**
 * `expected one of a, b, c` (the first 20 names, then `... and N more`), or, when `names` is
 * empty, `expected one of <what>, but <none>`.
 * @param what the kind of name, for the empty case (default: the table's columns)
 * @param none why there is none (default: the table has no columns)
 */
export function expectedOneOf(names: readonly string[], what = "the table's columns", none = 'the table has no columns'): string {
  if (names.length === 0) return `expected one of ${what}, but ${none}`
  const listed = names.slice(0, MAX_LISTED).join(', ')
  return names.length > MAX_LISTED ? `expected one of ${listed} ... and ${names.length - MAX_LISTED} more` : `expected one of ${listed}`
}
