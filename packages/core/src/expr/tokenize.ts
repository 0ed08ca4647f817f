// Tokenizer of the expression language: identifiers, `backquoted` names, numbers, 'strings' with ''
// escaping, operators and punctuation, each with its 0-based offset. Keywords are plain identifiers.

import { PredicateError } from './predicate-error.js'

export type TokenKind = 'ident' | 'qident' | 'number' | 'string' | 'op' | '(' | ')' | ',' | '.' | 'eof'

/** One token; `text` is the unquoted text for strings and backquoted names. */
export interface Token {
  readonly kind: TokenKind
  readonly text: string
  readonly pos: number
}

const IDENT_START = /[A-Za-z_]/
const IDENT_PART = /[A-Za-z0-9_$]/
const NUMBER_RE = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/
const OPERATORS = ['<=', '>=', '<>', '!=', '==', '||', '=', '<', '>', '-', '+', '*', '/', '%'] as const
const PUNCTUATION = new Set(['(', ')', ',', '.'])

function readQuoted(text: string, start: number, quote: string, what: string): { value: string; end: number } {
  let value = ''
  let i = start + 1
  for (;;) {
    const next = text.indexOf(quote, i)
    if (next < 0) throw new PredicateError(`unterminated ${what}: expected a closing ${quote}`, start)
    value += text.slice(i, next)
    if (text[next + 1] !== quote) return { value, end: next + 1 }
    value += quote
    i = next + 2
  }
}

function readToken(text: string, i: number): { token: Token; end: number } {
  const ch = text[i] ?? ''
  if (ch === "'" || ch === '`') {
    const { value, end } = readQuoted(text, i, ch, ch === "'" ? 'string' : 'quoted name')
    return { token: { kind: ch === "'" ? 'string' : 'qident', text: value, pos: i }, end }
  }
  const number = NUMBER_RE.exec(text.slice(i))
  if (number !== null && (/\d/.test(ch) || (ch === '.' && /\d/.test(text[i + 1] ?? '')))) {
    return { token: { kind: 'number', text: number[0], pos: i }, end: i + number[0].length }
  }
  if (IDENT_START.test(ch)) {
    let end = i + 1
    while (end < text.length && IDENT_PART.test(text[end] ?? '')) end++
    return { token: { kind: 'ident', text: text.slice(i, end), pos: i }, end }
  }
  if (PUNCTUATION.has(ch)) return { token: { kind: ch as Token['kind'], text: ch, pos: i }, end: i + 1 }
  const op = OPERATORS.find((o) => text.startsWith(o, i))
  if (op !== undefined) return { token: { kind: 'op', text: op, pos: i }, end: i + op.length }
  throw new PredicateError(`unexpected character '${ch}'`, i)
}

/**
 * Splits predicate text into tokens, ending with an `eof` token.
 * @throws PredicateError on an unknown character or an unterminated string or quoted name.
 */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    if (/\s/.test(text[i] ?? '')) {
      i++
      continue
    }
    const { token, end } = readToken(text, i)
    tokens.push(token)
    i = end
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length })
  return tokens
}
