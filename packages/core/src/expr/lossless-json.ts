// A small JSON parser that keeps numbers as their source text, so stats of long and decimal columns
// stay exact (JSON.parse rounds to double). Only for per-file stats: small, trusted-shape documents.

import { setField } from '../parquet-values.js'

/** A JSON number as written in the source. */
export class JsonNumber {
  constructor(readonly text: string) {}
}

/** A parsed JSON value with numbers as `JsonNumber`. */
export type LosslessJson = null | boolean | string | JsonNumber | LosslessJson[] | { [key: string]: LosslessJson }

const NUMBER_RE = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y
const STRING_RE = /"(?:[^"\\]|\\.)*"/y
const WS_RE = /[ \t\n\r]*/y

class LosslessParser {
  #pos = 0
  constructor(readonly text: string) {}

  fail(): never {
    throw new SyntaxError(`invalid JSON at ${this.#pos}`)
  }
  ws(): void {
    WS_RE.lastIndex = this.#pos
    WS_RE.exec(this.text)
    this.#pos = WS_RE.lastIndex
  }
  match(re: RegExp): string {
    re.lastIndex = this.#pos
    const m = re.exec(this.text)
    if (m === null) this.fail()
    this.#pos = re.lastIndex
    return m[0]
  }
  eat(ch: string): boolean {
    this.ws()
    if (this.text[this.#pos] !== ch) return false
    this.#pos++
    return true
  }
  end(): void {
    this.ws()
    if (this.#pos !== this.text.length) this.fail()
  }

  value(): LosslessJson {
    this.ws()
    const ch = this.text[this.#pos]
    if (ch === '{') return this.object()
    if (ch === '[') return this.array()
    if (ch === '"') return JSON.parse(this.match(STRING_RE)) as string
    for (const [word, v] of [['true', true], ['false', false], ['null', null]] as const) {
      if (this.text.startsWith(word, this.#pos)) {
        this.#pos += word.length
        return v
      }
    }
    return new JsonNumber(this.match(NUMBER_RE))
  }
  object(): { [key: string]: LosslessJson } {
    this.#pos++
    const out: { [key: string]: LosslessJson } = {}
    if (this.eat('}')) return out
    do {
      this.ws()
      const key = JSON.parse(this.match(STRING_RE)) as string
      if (!this.eat(':')) this.fail()
      const value = this.value()
      setField(out, key, value)
    } while (this.eat(','))
    if (!this.eat('}')) this.fail()
    return out
  }
  array(): LosslessJson[] {
    this.#pos++
    const out: LosslessJson[] = []
    if (this.eat(']')) return out
    do out.push(this.value())
    while (this.eat(','))
    if (!this.eat(']')) this.fail()
    return out
  }
}

/**
 * Parses JSON keeping numbers exact as `JsonNumber`.
 * @throws SyntaxError on malformed input (callers treat such stats as absent).
 */
export function parseLosslessJson(text: string): LosslessJson {
  const parser = new LosslessParser(text)
  const v = parser.value()
  parser.end()
  return v
}
