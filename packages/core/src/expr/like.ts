// LIKE patterns: `%` matches any run of characters, `_` exactly one, the escape character (default
// `\`) makes the next one literal. Compiled to a RegExp once per distinct pattern.

import type { Value } from '@lake/parquet'
import { ExpressionError } from './expression-error.js'
import type { ScopeRows } from './scope.js'

const SPECIAL = /[.*+?^${}()|[\]\\/]/

/**
 * The RegExp of a LIKE pattern (whole-string, `s` flag so `%` spans newlines, `u` for code points).
 * @throws ExpressionError `InvalidArgument` when the pattern ends with the escape character or escapes a plain char.
 */
export function likeRegExp(pattern: string, escape: string): RegExp {
  let source = ''
  const chars = Array.from(pattern)
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string
    if (c === escape) {
      const next = chars[i + 1]
      if (next === undefined || (next !== '%' && next !== '_' && next !== escape)) {
        throw new ExpressionError('InvalidArgument', `invalid LIKE pattern '${pattern}': expected '%', '_' or the escape '${escape}' after the escape at index ${i}`, {
          context: { pattern, index: i },
        })
      }
      source += SPECIAL.test(next) ? `\\${next}` : next
      i++
    } else if (c === '%') source += '.*'
    else if (c === '_') source += '.'
    else source += SPECIAL.test(c) ? `\\${c}` : c
  }
  return new RegExp(`^${source}$`, 'su')
}

/** The three-valued LIKE test of two compiled string operands. */
export function likeMatcher(operand: (rows: ScopeRows) => Value, pattern: (rows: ScopeRows) => Value, escape: string): (rows: ScopeRows) => boolean | null {
  let lastPattern: string | undefined
  let lastRegExp = /^$/
  return (rows) => {
    const s = operand(rows)
    if (s === null) return null
    const p = pattern(rows)
    if (p === null) return null
    if (p !== lastPattern) {
      lastRegExp = likeRegExp(p as string, escape)
      lastPattern = p as string
    }
    return lastRegExp.test(s as string)
  }
}
