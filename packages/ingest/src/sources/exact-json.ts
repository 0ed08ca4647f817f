// A JSON parser for untrusted input lines that keeps every number as its source text
// (`JsonNumber` of @lake/core), so long and decimal values are never rounded through a double.

import { JsonNumber } from '@lake/core/encode'
import { setField } from '@lake/parquet/rows'
import { IngestError } from '../errors.js'
import { DEFAULT_MAX_DEPTH, tooDeep } from './scan-json-line.js'

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y

/**
 * Parses one JSON document like `JSON.parse`, except that every number is a `JsonNumber` holding
 * its exact text. Objects are plain (`"__proto__"` is an ordinary own key, as with `JSON.parse`);
 * a repeated key keeps its last value. Objects and arrays nest at most `maxDepth` deep (default 100).
 * @throws IngestError `InvalidArgument` naming the position and what was found, or the depth limit.
 */
export function parseExactJson(text: string, maxDepth: number = DEFAULT_MAX_DEPTH): unknown {
  const parser = new ExactParser(text, maxDepth)
  const value = parser.value()
  parser.end()
  return value
}

class ExactParser {
  readonly #text: string
  readonly #maxDepth: number
  #pos = 0
  #depth = 0

  constructor(text: string, maxDepth: number) {
    this.#text = text
    this.#maxDepth = maxDepth
  }

  value(): unknown {
    this.#ws()
    switch (this.#text.charCodeAt(this.#pos)) {
      case 0x7b: // {
        return this.#nested(() => this.#object())
      case 0x5b: // [
        return this.#nested(() => this.#array())
      case 0x22: // "
        return this.#string()
      case 0x74: // t
        return this.#word('true', true)
      case 0x66: // f
        return this.#word('false', false)
      case 0x6e: // n
        return this.#word('null', null)
      default:
        return this.#number()
    }
  }

  end(): void {
    this.#ws()
    if (this.#pos !== this.#text.length) this.#fail('the end of the document')
  }

  #nested<T>(parse: () => T): T {
    if (++this.#depth > this.#maxDepth) throw tooDeep(this.#maxDepth)
    const value = parse()
    this.#depth--
    return value
  }

  #object(): Record<string, unknown> {
    this.#pos++
    const out: Record<string, unknown> = {}
    if (this.#eat(0x7d)) return out
    do {
      this.#ws()
      if (this.#text.charCodeAt(this.#pos) !== 0x22) this.#fail('a string key')
      const key = this.#string()
      if (!this.#eat(0x3a)) this.#fail("':'")
      const value = this.value()
      setField(out, key, value)
    } while (this.#eat(0x2c))
    if (!this.#eat(0x7d)) this.#fail("',' or '}'")
    return out
  }

  #array(): unknown[] {
    this.#pos++
    const out: unknown[] = []
    if (this.#eat(0x5d)) return out
    do out.push(this.value())
    while (this.#eat(0x2c))
    if (!this.#eat(0x5d)) this.#fail("',' or ']'")
    return out
  }

  #string(): string {
    const text = this.#text
    const start = this.#pos
    let i = start + 1
    let escaped = false
    for (;;) {
      const c = text.charCodeAt(i)
      if (Number.isNaN(c)) this.#fail('a closing quote')
      if (c === 0x22) break
      if (c < 0x20) this.#fail('no control character in a string')
      if (c === 0x5c) escaped = true
      i += c === 0x5c ? 2 : 1
    }
    this.#pos = i + 1
    if (!escaped) return text.slice(start + 1, i)
    try {
      return JSON.parse(text.slice(start, i + 1)) as string
    } catch {
      this.#pos = start
      return this.#fail('a string with valid escapes')
    }
  }

  #number(): JsonNumber {
    NUMBER.lastIndex = this.#pos
    const match = NUMBER.exec(this.#text)
    if (match === null) return this.#fail('a JSON value')
    this.#pos = NUMBER.lastIndex
    return new JsonNumber(match[0])
  }

  #word<T>(word: string, value: T): T {
    if (!this.#text.startsWith(word, this.#pos)) this.#fail('a JSON value')
    this.#pos += word.length
    return value
  }

  #eat(code: number): boolean {
    this.#ws()
    if (this.#text.charCodeAt(this.#pos) !== code) return false
    this.#pos++
    return true
  }

  #ws(): void {
    const text = this.#text
    let c = text.charCodeAt(this.#pos)
    while (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) c = text.charCodeAt(++this.#pos)
  }

  #fail(expected: string): never {
    const found = this.#pos >= this.#text.length ? 'the end of the input' : JSON.stringify(this.#text.slice(this.#pos, this.#pos + 12))
    throw new IngestError('InvalidArgument', `invalid JSON at position ${this.#pos}: expected ${expected}, found ${found}`, { context: { position: this.#pos } })
  }
}
