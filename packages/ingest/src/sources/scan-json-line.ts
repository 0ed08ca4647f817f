// One pass over a JSON line before it is parsed: refuses nesting deeper than a limit (so no parser
// or later recursive step overflows the stack), and tells whether a number in it needs the exact
// parser (`JSON.parse` would round it, or lose that it was written as a double). Pure.

import { IngestError } from '../errors.js'

/** Default `maxDepth`: objects and arrays nested at most this deep. */
export const DEFAULT_MAX_DEPTH = 100

/** Digits (and points) in a row from which `JSON.parse` may round a number. */
const RISKY_RUN = 16

/**
 * True when `text` holds a number `JSON.parse` would change: a run of 16+ digits and points (16+
 * significant digits), a fraction of zeros only (`5.0`, which `JSON.parse` makes an integer), or an
 * exponent (`1e3`, `1e999`). Strings are skipped, so a number-like string costs nothing.
 * A char loop: a regex here costs more than `JSON.parse` itself.
 * @throws IngestError `InvalidArgument` (context `{ maxDepth }`) when objects and arrays nest deeper than `maxDepth`.
 */
export function needsExactParse(text: string, maxDepth: number = DEFAULT_MAX_DEPTH): boolean {
  let depth = 0
  let run = 0
  let exact = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if ((c >= 48 && c <= 57) || c === 46) {
      if (++run >= RISKY_RUN || (c === 46 && zerosOnly(text, i + 1))) exact = true
      continue
    }
    if ((c === 101 || c === 69) && run > 0) exact = true
    run = 0
    if (c === 0x22) i = stringEnd(text, i)
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > maxDepth) throw tooDeep(maxDepth)
    } else if (c === 0x7d || c === 0x5d) depth--
  }
  return exact
}

/** The error for JSON nested deeper than `maxDepth`. */
export function tooDeep(maxDepth: number): IngestError {
  return new IngestError('InvalidArgument', `JSON nested deeper than ${maxDepth} levels (maxDepth); flatten the record or raise the limit`, {
    context: { maxDepth },
  })
}

/** Characters of a line shown in an error message. */
const SHOWN_CHARS = 80

/** A bad line for a message: quoted, cut at 80 characters, and whether it starts with a byte order mark. */
export function describeLine(text: string): string {
  const shown = text.length > SHOWN_CHARS ? `${JSON.stringify(text.slice(0, SHOWN_CHARS))} (first ${SHOWN_CHARS} of ${text.length} characters)` : JSON.stringify(text)
  const bom = text.charCodeAt(0) === 0xfeff ? '; it starts with a byte order mark (U+FEFF): save the input as UTF-8 without a BOM' : ''
  return `${shown}${bom}`
}

/** True when the digits from `at` are all zeros (at least one). */
function zerosOnly(text: string, at: number): boolean {
  let i = at
  while (text.charCodeAt(i) === 48) i++
  const c = text.charCodeAt(i)
  return i > at && !(c >= 49 && c <= 57)
}

/** The index of the quote closing the string opened at `open` (the end of the text when unclosed). */
function stringEnd(text: string, open: number): number {
  let close = text.indexOf('"', open + 1)
  while (close !== -1) {
    let backslashes = 0
    while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++
    if (backslashes % 2 === 0) return close
    close = text.indexOf('"', close + 1)
  }
  return text.length
}
