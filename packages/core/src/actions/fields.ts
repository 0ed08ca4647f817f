// Narrowing of parsed JSON (`unknown`) into typed action fields. Throws `ProtocolError('CorruptLog')`
// with the action, field, version and line in the message. Pure.

import { ProtocolError } from '../errors.js'

/** Where a value came from, for error messages: `version 3 line 2`, `checkpoint 10`. */
export interface Origin {
  readonly version?: number
  readonly line?: number
  readonly file?: string
}

export type JsonObject = Record<string, unknown>

/** True for plain objects (not arrays, not null). */
export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** A human description of `origin` for messages. */
export function describeOrigin(origin: Origin): string {
  const parts: string[] = []
  if (origin.file !== undefined) parts.push(origin.file)
  else if (origin.version !== undefined) parts.push(`version ${origin.version}`)
  if (origin.line !== undefined) parts.push(`line ${origin.line}`)
  return parts.length === 0 ? 'log' : parts.join(' ')
}

/** Reads typed fields of one action object, naming `action.field` in errors. */
export class FieldReader {
  readonly #obj: JsonObject
  readonly #action: string
  readonly #origin: Origin

  constructor(obj: JsonObject, action: string, origin: Origin) {
    this.#obj = obj
    this.#action = action
    this.#origin = origin
  }

  fail(field: string, expected: string, found: unknown): never {
    const shown = found === undefined ? 'nothing' : JSON.stringify(found)?.slice(0, 120) ?? String(found)
    throw new ProtocolError(
      'CorruptLog',
      `invalid '${this.#action}' action at ${describeOrigin(this.#origin)}: expected '${this.#action}.${field}' to be ${expected}, found ${shown}`,
      { context: { version: this.#origin.version, line: this.#origin.line, action: this.#action, field } },
    )
  }

  string(field: string): string {
    const v = this.#obj[field]
    return typeof v === 'string' ? v : this.fail(field, 'a string', v)
  }

  optString(field: string): string | null | undefined {
    const v = this.#obj[field]
    return v === undefined || v === null || typeof v === 'string' ? v : this.fail(field, 'a string or null', v)
  }

  boolean(field: string): boolean {
    const v = this.#obj[field]
    return typeof v === 'boolean' ? v : this.fail(field, 'a boolean', v)
  }

  optBoolean(field: string): boolean | null | undefined {
    const v = this.#obj[field]
    return v === undefined || v === null || typeof v === 'boolean' ? v : this.fail(field, 'a boolean or null', v)
  }

  /** A safe integer (versions, sizes, epoch milliseconds). */
  integer(field: string): number {
    const v = this.#obj[field]
    return typeof v === 'number' && Number.isSafeInteger(v) ? v : this.fail(field, 'a safe integer', v)
  }

  optInteger(field: string): number | null | undefined {
    const v = this.#obj[field]
    if (v === undefined || v === null) return v
    return typeof v === 'number' && Number.isSafeInteger(v) ? v : this.fail(field, 'a safe integer or null', v)
  }

  optStringArray(field: string): readonly string[] | undefined {
    const v = this.#obj[field]
    if (v === undefined || v === null) return undefined
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[]
    return this.fail(field, 'an array of strings', v)
  }

  stringArray(field: string): readonly string[] {
    return this.optStringArray(field) ?? this.fail(field, 'an array of strings', this.#obj[field])
  }

  /** A map<string,string>; with `nullableValues` values may be null (partition values). */
  optStringMap(field: string, nullableValues = false): Record<string, string | null> | null | undefined {
    const v = this.#obj[field]
    if (v === undefined || v === null) return v
    if (!isObject(v)) return this.fail(field, 'an object of strings', v)
    for (const [key, value] of Object.entries(v)) {
      if (typeof value !== 'string' && !(nullableValues && value === null)) {
        this.fail(`${field}.${key}`, nullableValues ? 'a string or null' : 'a string', value)
      }
    }
    return v as Record<string, string | null>
  }

  optObject(field: string): JsonObject | null | undefined {
    const v = this.#obj[field]
    if (v === undefined || v === null) return v
    return isObject(v) ? v : this.fail(field, 'an object', v)
  }
}

/** `obj` without the keys whose value is `undefined` (keeps parsed actions free of absent fields). */
export function compact<T extends object>(obj: T): T {
  for (const key of Object.keys(obj) as (keyof T)[]) {
    if (obj[key] === undefined) delete obj[key]
  }
  return obj
}
