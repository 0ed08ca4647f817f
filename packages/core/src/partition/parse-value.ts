// Typed values from Delta's text serialization (PROTOCOL.md#Partition Value Serialization).
// Pure; reports failure as data so callers (partition parsing, predicate literals) choose the error.

import type { DataType, PrimitiveName, Value } from '@lake/parquet'
import { toDecimalValue } from './decimal.js'
import { formatTimestamp, formatTimestampNtz, parseDate, parseTimestampMicros } from './temporal.js'

/** The outcome of parsing one text: the value, or what was expected. */
export type ValueParse = { readonly ok: true; readonly value: Value } | { readonly ok: false; readonly expected: string }

const INTEGER_RE = /^[+-]?\d+$/
const FLOAT_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$|^[+-]?(?:NaN|Infinity)$/
const INT_RANGES: Partial<Record<PrimitiveName, readonly [number, number]>> = {
  byte: [-128, 127],
  short: [-32768, 32767],
  integer: [-2147483648, 2147483647],
}
const LONG_MIN = -(2n ** 63n)
const LONG_MAX = 2n ** 63n - 1n
const UTF8 = new TextEncoder()

function ok(value: Value): ValueParse {
  return { ok: true, value }
}

function fail(expected: string): ValueParse {
  return { ok: false, expected }
}

function parseInteger(text: string, name: PrimitiveName): ValueParse {
  const range = INT_RANGES[name]
  if (!INTEGER_RE.test(text)) return fail(`an integer for ${name}`)
  if (name === 'long') {
    const v = BigInt(text)
    return v < LONG_MIN || v > LONG_MAX ? fail('an integer in the long range') : ok(v)
  }
  const v = Number(text)
  return range === undefined || v < range[0] || v > range[1] ? fail(`an integer in the ${name} range`) : ok(v)
}

function parseTimestampText(text: string, ntz: boolean): ValueParse {
  const parsed = parseTimestampMicros(text)
  if (parsed === undefined) return fail(`a ${ntz ? 'timestamp_ntz' : 'timestamp'} like '2024-01-31 12:00:00[.ffffff]'`)
  if (ntz && parsed.hasZone) return fail('a timestamp_ntz without a time zone')
  return ok(ntz ? formatTimestampNtz(parsed.micros) : formatTimestamp(parsed.micros))
}

function parsePrimitive(text: string, name: PrimitiveName): ValueParse {
  switch (name) {
    case 'string':
      return ok(text)
    case 'byte':
    case 'short':
    case 'integer':
    case 'long':
      return parseInteger(text.trim(), name)
    case 'float':
    case 'double': {
      const t = text.trim()
      if (!FLOAT_RE.test(t)) return fail(`a number for ${name}`)
      return ok(name === 'float' ? Math.fround(Number(t)) : Number(t))
    }
    case 'boolean': {
      const t = text.trim().toLowerCase()
      return t === 'true' ? ok(true) : t === 'false' ? ok(false) : fail("'true' or 'false'")
    }
    case 'binary':
      return ok(UTF8.encode(text))
    case 'date': {
      const d = parseDate(text)
      if (d !== undefined) return ok(d)
      const ts = parseTimestampMicros(text)
      return ts === undefined ? fail("a date like '2024-01-31'") : ok(formatTimestamp(ts.micros).slice(0, 10))
    }
    case 'timestamp':
      return parseTimestampText(text, false)
    case 'timestamp_ntz':
      return parseTimestampText(text, true)
    case 'void':
      return ok(null)
    default: {
      const never: never = name
      return fail(`a known type, found ${String(never)}`)
    }
  }
}

/**
 * Parses Delta's text form of a value of `type`: integers (long as bigint), floats (`NaN`,
 * `Infinity` too), booleans, decimals (kept exact, rescaled to the type's scale), dates, timestamps in
 * `yyyy-MM-dd HH:mm:ss[.ffffff]` (read as UTC) or ISO-8601 with a zone, timestamp_ntz, binary (the
 * UTF-8 bytes of the text). Nested types have no text form.
 */
export function parseValueText(text: string, type: DataType): ValueParse {
  switch (type.kind) {
    case 'primitive':
      return parsePrimitive(text, type.name)
    case 'decimal': {
      const v = toDecimalValue(text, type.precision, type.scale)
      return v === undefined ? fail(`a decimal(${type.precision},${type.scale}) number`) : ok(v)
    }
    case 'struct':
    case 'array':
    case 'map':
      return fail(`a primitive type, found ${type.kind}`)
    default: {
      const never: never = type
      // Stryker disable next-line StringLiteral: exhaustive switch, no other kind type-checks
      return fail(`a known type, found ${String(never)}`)
    }
  }
}
