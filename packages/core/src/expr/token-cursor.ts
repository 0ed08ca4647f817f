// A cursor over the tokens of an expression, with the keyword and error helpers the parser uses.

import { PredicateError } from './predicate-error.js'
import { tokenize } from './tokenize.js'
import type { Token } from './tokenize.js'

function describe(t: Token): string {
  return t.kind === 'eof' ? 'end of input' : `'${t.text}'`
}

/** Tokens of one text, read front to back. */
export class TokenCursor {
  readonly #tokens: Token[]
  #i = 0
  constructor(text: string) {
    this.#tokens = tokenize(text)
  }

  peek(offset = 0): Token {
    return this.#tokens[Math.min(this.#i + offset, this.#tokens.length - 1)] as Token
  }
  next(): Token {
    const t = this.peek()
    if (t.kind !== 'eof') this.#i++
    return t
  }
  isKeyword(word: string, offset = 0): boolean {
    const t = this.peek(offset)
    return t.kind === 'ident' && t.text.toLowerCase() === word
  }
  isOp(text: string): boolean {
    const t = this.peek()
    return t.kind === 'op' && t.text === text
  }
  acceptKeyword(word: string): boolean {
    if (!this.isKeyword(word)) return false
    this.#i++
    return true
  }
  fail(expected: string, t: Token = this.peek()): never {
    throw new PredicateError(`expected ${expected}, found ${describe(t)}`, t.pos)
  }
  expectKind(kind: Token['kind'], expected: string): Token {
    return this.peek().kind === kind ? this.next() : this.fail(expected)
  }
  expectKeyword(word: string): void {
    if (!this.acceptKeyword(word)) this.fail(word.toUpperCase())
  }
}
