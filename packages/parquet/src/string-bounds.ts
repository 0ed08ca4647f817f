// Truncated string bounds for Delta stats, as Delta Spark's StatisticsCollection.truncateMin/MaxStringAgg:
// lengths count UTF-16 units; a max appends U+007F or U+10FFFF so it still bounds every value in UTF-8 order.

const ASCII_MAX = '\u007f'
const UTF8_MAX = '\u{10ffff}'

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff
}

/** A lower bound of `value` at most `prefixLength` units long (one more to keep a surrogate pair). */
export function truncateMinString(value: string, prefixLength: number): string {
  if (value.length <= prefixLength) return value
  const splitsPair = isHighSurrogate(value.charCodeAt(prefixLength - 1)) && isLowSurrogate(value.charCodeAt(prefixLength))
  return value.slice(0, splitsPair ? prefixLength + 1 : prefixLength)
}

/**
 * An upper bound of `value` of about `prefixLength` units: a prefix plus a tie-breaker that sorts after the
 * cut character. Undefined when no bound fits in twice the prefix length (a run of U+10FFFF).
 */
export function truncateMaxString(value: string, prefixLength: number): string | undefined {
  if (value.length <= prefixLength) return value
  const limit = 2 * prefixLength
  let length = truncateMinString(value, prefixLength).length
  while (length <= limit) {
    if (length >= value.length) return value
    if (value.startsWith(UTF8_MAX, length)) {
      length += 2
    } else if (value.charCodeAt(length) < ASCII_MAX.charCodeAt(0)) {
      return value.slice(0, length) + ASCII_MAX
    } else {
      return value.slice(0, length) + UTF8_MAX
    }
  }
  return undefined
}
