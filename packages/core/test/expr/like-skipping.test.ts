// Data skipping for LIKE: a literal prefix bounds the values (`s LIKE 'ab%'` needs a value in
// ['ab', 'ac')); NOT LIKE, patterns starting with a wildcard and non-column operands may always match.

import type { DataType, StructType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { bindPredicate, canSkipFile, likePrefix } from '../../src/expr/index.js'

const schema: StructType = { kind: 'struct', fields: [{ name: 's', type: { kind: 'primitive', name: 'string' } as DataType, nullable: true, metadata: {} }] }
const stats = (min: string, max: string, nulls = 0): string => JSON.stringify({ numRecords: 10, minValues: { s: min }, maxValues: { s: max }, nullCount: { s: nulls } })
const skips = (text: string, json: string): boolean => canSkipFile(bindPredicate(text, schema), json)

describe('LIKE skipping', () => {
  it.each([
    ["s LIKE 'm%'", stats('apple', 'mango'), false],
    ["s LIKE 'n%'", stats('apple', 'mango'), true],
    ["s LIKE 'a%'", stats('banana', 'mango'), true],
    ["s LIKE 'ma_go'", stats('apple', 'mango'), false],
    ["s LIKE 'mz%'", stats('apple', 'mango'), true],
    ["s LIKE 'b%'", stats('apple', 'cherry'), false],
    ["s LIKE '%z'", stats('apple', 'mango'), false],
    ["s NOT LIKE 'm%'", stats('mango', 'mango'), false],
    ["upper(s) LIKE 'Z%'", stats('apple', 'mango'), false],
    ["s LIKE 'm%'", stats('apple', 'mang'), false],
    ["s LIKE '%'", JSON.stringify({ numRecords: 10, nullCount: { s: 10 } }), true],
    ["s LIKE 'a\\%%'", stats('b', 'c'), true],
  ])('%s on %s skips: %s', (text, json, expected) => {
    expect(skips(text, json)).toBe(expected)
  })

  it.each([
    ['abc%', '\\', 'abc'],
    ['a_c', '\\', 'a'],
    ['%x', '\\', ''],
    ['a\\%b', '\\', 'a'],
    ['ab!%', '!', 'ab'],
  ])('the prefix of %s (escape %s) is %s', (pattern, escape, prefix) => {
    expect(likePrefix(pattern, escape)).toBe(prefix)
  })
})
