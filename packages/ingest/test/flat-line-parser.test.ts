// FlatLineParser: the fast path of the line route reads a whole chunk from its bytes, line by line,
// straight into the column builders. A line it reads gives exactly the values the exact parser and
// the row coercer give (dates as YYYY-MM-DD text); every line it is not sure of (escapes, exponents, nesting, keys it does not
// know, values its column would refuse, malformed lines) is left to the exact path: -1, nothing appended.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createRowCoercer } from '@lake/core/internal'
import { batchBuilderFor } from '@lake/parquet'
import type { BatchBuilder, StructType } from '@lake/parquet'
import { parseRecordLine } from '../src/index.js'
import { flatLineParserFor } from '../src/lines/flat-line-parser.js'

const f = (name: string, type: string, nullable = true) => ({ name, type: { kind: 'primitive', name: type }, nullable, metadata: {} })
const SCHEMA = {
  kind: 'struct',
  fields: [f('id', 'long', false), f('n', 'integer'), f('s', 'short'), f('b', 'byte'), f('x', 'double'), f('fl', 'float'), f('name', 'string'), f('ok', 'boolean'), f('a"b', 'long')],
} as StructType

function builder(): BatchBuilder {
  const built = batchBuilderFor(SCHEMA, 4)
  if (built === undefined) throw new Error('expected a builder for a flat schema')
  return built
}

function parser(): NonNullable<ReturnType<typeof flatLineParserFor>> {
  const made = flatLineParserFor(SCHEMA)
  if (made === undefined) throw new Error('expected a flat line parser')
  return made
}

/** The rows of `built` as plain objects. */
function rowsOf(built: BatchBuilder): unknown[] {
  return built.finish().toArray().map((r) => ({ ...r.toJSON() }))
}

/** What the exact path makes of `lines`: parsed as NdjsonSource parses, coerced as the row route coerces. */
function exactRows(lines: readonly string[]): unknown[] {
  const coerce = createRowCoercer(SCHEMA, { partitionColumns: [] })
  const exact = builder()
  lines.forEach((line, i) => exact.append(coerce(parseRecordLine(line, SCHEMA), i)))
  return rowsOf(exact)
}

describe('FlatLineParser', () => {
  it('reads a chunk line by line (CRLF, spacing, key order, missing keys, nulls, a last line without newline) as the exact path does', () => {
    const lines = [
      '{"id":1,"n":-2147483648,"s":32767,"b":-128,"x":0.51,"fl":2.5,"name":"customer-1","ok":true}',
      ' { "ok" : false ,\t"name":"näme 🦆", "id" : -0 }\r',
      '{"id":999999999999999,"x":-12345678901.234,"n":null,"s":null}',
      '{"id":-999999999999999,"x":7,"name":""}',
      '{"id":42}',
    ]
    const bytes = Buffer.from(lines.join('\n'))
    const p = parser()
    const built = builder()
    const ends: number[] = []
    for (let at = 0; at >= 0 && at < bytes.length; ) {
      at = p.parse(bytes, at, bytes.length, built)
      ends.push(at)
    }
    expect(ends).toEqual(lines.map((_, i) => Buffer.byteLength(lines.slice(0, i + 1).join('\n')) + (i < lines.length - 1 ? 1 : 0)))
    expect(rowsOf(built)).toEqual(exactRows(lines.map((l) => l.replace(/\r$/, ''))))
    expect(rowsOf(built)[2]).toMatchObject({ id: 999999999999999n, x: -12345678901.234 })
  })

  it.each([
    ['an escape in a string', '{"id":1,"name":"a\\"b"}'],
    ['a unicode escape', '{"id":1,"name":"\\u00e9"}'],
    ['a raw tab in a string', '{"id":1,"name":"a\tb"}'],
    ['an exponent', '{"id":1,"x":1e3}'],
    ['an upper-case exponent', '{"id":1,"x":1E-3}'],
    ['a fraction of zeros', '{"id":1,"x":5.0}'],
    ['16 digits', '{"id":1234567890123456}'],
    ['15 digits and a point', '{"id":1,"x":12345678901234.5}'],
    ['a leading zero', '{"id":05}'],
    ['a leading plus', '{"id":+5}'],
    ['a bare point', '{"id":1,"x":.5}'],
    ['a fraction for a long', '{"id":1.5}'],
    ['a string for a long', '{"id":"1"}'],
    ['an integer out of range', '{"id":1,"b":128}'],
    ['a float beyond float32', '{"id":1,"fl":340000000000000000000000000000000000000.1}'],
    ['a number for a string', '{"id":1,"name":5}'],
    ['a string for a boolean', '{"id":1,"ok":"true"}'],
    ['a misspelled literal', '{"id":1,"ok":tru}'],
    ['nesting', '{"id":1,"name":{"a":1}}'],
    ['an array value', '{"id":1,"n":[1]}'],
    ['an unknown key', '{"id":1,"zzz":1}'],
    ['a repeated key', '{"id":1,"id":2}'],
    ['a key in another case', '{"ID":1}'],
    ['an escaped key', '{"id":1,"a\\"b":1}'],
    ['a key not valid as JSON', '{"id":1,"a"b":1}'],
    ['a non-nullable column missing', '{"n":1}'],
    ['a non-nullable column null', '{"id":null}'],
    ['a blank line', '   '],
    ['not an object', '[1]'],
    ['a truncated line', '{"id":1'],
    ['trailing text', '{"id":1} x'],
    ['a trailing comma', '{"id":1,}'],
  ])('leaves %s to the exact path, appending nothing', (_, line) => {
    const bytes = Buffer.from(`${line}\n{"id":7}\n`)
    const built = builder()
    const p = parser()
    expect(p.parse(bytes, 0, bytes.length, built)).toBe(-1)
    expect(built.rows).toBe(0)
    expect(p.parse(bytes, bytes.indexOf(0x0a) + 1, bytes.length, built)).toBe(bytes.length)
    expect(rowsOf(built)).toEqual(exactRows(['{"id":7}']))
  })

  it('gives the exact value of every number it reads: longs without a bigint, doubles as JSON.parse rounds them (property)', () => {
    const integer = fc.bigInt({ min: -(10n ** 15n) + 1n, max: 10n ** 15n - 1n })
    const decimal = fc.tuple(fc.bigInt({ min: -(10n ** 13n), max: 10n ** 13n }), fc.integer({ min: 1, max: 13 })).map(([digits, scale]) => {
      const text = (digits < 0n ? -digits : digits).toString().padStart(scale + 1, '0')
      return `${digits < 0n ? '-' : ''}${text.slice(0, text.length - scale)}.${text.slice(text.length - scale)}`
    })
    fc.assert(
      fc.property(fc.array(fc.tuple(integer, fc.oneof(decimal, integer.map(String))), { minLength: 1, maxLength: 50 }), (pairs) => {
        const lines = pairs.map(([id, x]) => `{"id":${id},"x":${x}}`)
        const bytes = Buffer.from(lines.join('\n'))
        const built = builder()
        const p = parser()
        let fast = 0
        for (let at = 0; at < bytes.length; fast++) {
          const next = p.parse(bytes, at, bytes.length, built)
          if (next < 0) return // a fraction of zeros only or 16 characters: the exact path's line, checked above
          at = next
        }
        expect(fast).toBe(lines.length)
        expect(rowsOf(built)).toEqual(pairs.map(([id, x]) => expect.objectContaining({ id, x: JSON.parse(x) as number })))
      }),
      { numRuns: 300 },
    )
  })

  it('reads a date column\'s YYYY-MM-DD text as the exact path does and leaves every other text to it (property)', () => {
    const schema = { kind: 'struct', fields: [f('id', 'long', false), f('day', 'date')] } as StructType
    const coerce = createRowCoercer(schema, { partitionColumns: [] })
    const make = (): BatchBuilder => batchBuilderFor(schema, 4) as BatchBuilder
    const p = flatLineParserFor(schema)
    if (p === undefined) throw new Error('expected a flat line parser for a date column')
    const day = fc.integer({ min: -719_162, max: 2_932_896 }).map((d) => new Date(d * 86_400_000).toISOString().slice(0, 10))
    const text = fc.oneof(day, fc.constantFrom('2024-02-29', '2023-02-29', '2024-02-30', '2024-13-01', '2024-00-10', '0000-01-01', '9999-12-31', '2024-1-01', '2024/01/01', '20240101xx', '2024-01-0a'), fc.string({ minLength: 10, maxLength: 10 }))
    fc.assert(
      fc.property(fc.oneof(text, fc.constant(null)), (value) => {
        const line = JSON.stringify({ id: 1, day: value })
        const bytes = Buffer.from(line)
        const fast = make()
        let exact: unknown
        try {
          const built = make()
          built.append(coerce(parseRecordLine(line, schema), 0))
          exact = rowsOf(built)
        } catch {
          exact = 'refused'
        }
        if (p.parse(bytes, 0, bytes.length, fast) < 0) {
          expect(fast.rows).toBe(0)
          // Left to the exact path: text it refuses, or text it reads another way (escapes).
          if (exact !== 'refused') expect(line).toMatch(/\\|"day":"(?!\d{4}-\d\d-\d\d")/)
        } else expect(rowsOf(fast)).toEqual(exact)
      }),
      { numRuns: 400 },
    )
  })

  it('is only made for flat schemas of numbers, strings, booleans and dates', () => {
    expect(flatLineParserFor({ kind: 'struct', fields: [f('at', 'timestamp')] } as StructType)).toBeUndefined()
    expect(flatLineParserFor({ kind: 'struct', fields: [{ name: 'd', type: { kind: 'decimal', precision: 10, scale: 2 }, nullable: true, metadata: {} }] } as StructType)).toBeUndefined()
  })
})
