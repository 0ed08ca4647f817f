// valueText: the exact text of each kind of value, nested ones included; shellQuote: a URI as one
// shell word in the suggested commands.

import { describe, expect, it } from 'vitest'
import { valueText } from '@lake/ui'
import { shellQuote } from '../src/api/findings.js'

describe('valueText', () => {
  it.each([
    ['null', null, null],
    ['int64 past 2^53', 9007199254740993n, '9007199254740993'],
    ['negative int64', -9223372036854775808n, '-9223372036854775808'],
    ['decimal string', '-0.500', '-0.500'],
    ['double', 0.1, '0.1'],
    ['negative zero', -0, '-0'],
    ['NaN', Number.NaN, 'NaN'],
    ['boolean', false, 'false'],
    ['binary as hex', new Uint8Array([0, 15, 255]), '000fff'],
    ['markup stays text', '<script>x</script>', '<script>x</script>'],
    ['array', [1n, null, 'a'], '[1, null, "a"]'],
    ['map', new Map<unknown, unknown>([['k', 2n], [3n, new Uint8Array([1])]]), '{"k": 2, 3: "01"}'],
    ['struct', { a: 1, b: { c: 'x' }, d: undefined }, '{"a": 1, "b": {"c": "x"}}'],
  ] as const)('%s', (_name, value, text) => {
    expect(valueText(value)).toBe(text)
  })
})

describe('shellQuote', () => {
  it('leaves plain URIs alone and single-quotes the rest', () => {
    expect(shellQuote('s3://lake/events')).toBe('s3://lake/events')
    expect(shellQuote('./my table')).toBe("'./my table'")
    expect(shellQuote("it's; rm -rf /")).toBe("'it'\\''s; rm -rf /'")
  })
})
