// Tests of key ordering and key validation: UTF-8 byte order, not UTF-16 or locale order.

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { compareKeys, validateKey, validatePrefix } from '../src/index.js'

describe('compareKeys', () => {
  it('orders by UTF-8 bytes where UTF-16 order differs', () => {
    expect(compareKeys('\uFF5E', '😀')).toBeLessThan(0)
    expect('\uFF5E' < '😀').toBe(false) // JS string order disagrees
    expect(['a/b', 'a.b', 'a b', 'a0'].sort(compareKeys)).toEqual(['a b', 'a.b', 'a/b', 'a0'])
  })

  it('agrees with Buffer.compare on any strings', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), fc.string({ unit: 'grapheme' }), (a, b) => {
        expect(Math.sign(compareKeys(a, b))).toBe(Math.sign(Buffer.compare(Buffer.from(a), Buffer.from(b))))
      }),
    )
  })
})

describe('validateKey', () => {
  it.each(['a', 'a/b.json', 'dir with space/%20', '.hidden', '..dots', 'a/...'])('accepts %j', (key) => {
    expect(() => validateKey(key, 'get')).not.toThrow()
  })

  it.each(['', '/a', 'a/', 'a//b', '.', '..', 'a/../b', 'a\0b', '.lake-0123456789abcdef.tmp'])('rejects %j', (key) => {
    expect(() => validateKey(key, 'get')).toThrow(expect.objectContaining({ code: 'InvalidPath' }))
  })
})

describe('validatePrefix', () => {
  it.each(['', 'a', 'a/', 'a/b', 'a/..x', '..'])('accepts %j', (prefix) => {
    expect(() => validatePrefix(prefix, 'list')).not.toThrow()
  })

  it.each(['/', '/a', '../', 'a//', 'a/../b'])('rejects %j', (prefix) => {
    expect(() => validatePrefix(prefix, 'list')).toThrow(expect.objectContaining({ code: 'InvalidPath' }))
  })
})
