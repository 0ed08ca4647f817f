// Unit tests of the ByteRange → HTTP Range header translation.

import { describe, expect, it } from 'vitest'
import { EMPTY_RANGE, rangeHeader } from '../src/range-header.js'

describe('rangeHeader', () => {
  it.each([
    ['the whole object', undefined, undefined],
    ['offset 0 to the end', { offset: 0 }, undefined],
    ['a middle slice', { offset: 10, length: 20 }, 'bytes=10-29'],
    ['an offset to the end', { offset: 90 }, 'bytes=90-'],
    ['a suffix', { suffix: 8 }, 'bytes=-8'],
    ['a zero length', { offset: 3, length: 0 }, EMPTY_RANGE],
    ['a zero suffix', { suffix: 0 }, EMPTY_RANGE],
  ])('maps %s', (_label, range, header) => {
    expect(rangeHeader(range, 'k')).toBe(header)
  })

  it.each([{ offset: -1 }, { offset: 1.5 }, { suffix: -2 }, { offset: 0, length: Number.NaN }])(
    'rejects %j with InvalidArgument',
    (range) => {
      expect(() => rangeHeader(range, 'k')).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
    },
  )
})
