// Pure helpers: calendar and timestamp arithmetic, exact decimals and JSON bounds.
import { describe, expect, it } from 'vitest'
import { bigintFromBytes, decimalByteLength, formatDecimal, jsonNumberBound, parseDecimal } from '../src/decimal.js'
import { civilFromDays, daysFromCivil, formatDate, formatTimestamp, parseDate, parseTimestamp } from '../src/temporal.js'

describe('dates and timestamps', () => {
  it.each([
    ['1970-01-01', 0],
    ['1969-12-31', -1],
    ['0001-01-01', -719162],
    ['2000-02-29', 11016],
    ['9999-12-31', 2932896],
  ])('%s is day %i', (text, days) => {
    expect(parseDate(text)).toBe(days)
    expect(formatDate(days)).toBe(text)
  })

  it('round-trips every day over four centuries', () => {
    const wrong: number[] = []
    for (let d = -200_000; d < -54_000; d++) if (daysFromCivil(...civilFromDays(d)) !== d) wrong.push(d)
    expect(wrong).toEqual([])
  })

  it.each(['2023-02-29', '2024-13-01', '2024-1-01', '24-01-01', '2024-01-01T00:00'])('rejects date %s', text => {
    expect(parseDate(text)).toBeUndefined()
  })

  it.each([
    ['1970-01-01T00:00:00.000000Z', 0n],
    ['1969-12-31T23:59:59.999999Z', -1n],
    ['1900-01-01T00:00:00.000001Z', -2208988799999999n],
    ['0001-01-01T00:00:00.000000Z', -62135596800000000n],
  ])('%s is %i micros', (text, micros) => {
    expect(parseTimestamp(text, true)).toBe(micros)
    expect(formatTimestamp(micros, true)).toBe(text)
  })

  it('accepts fewer fraction digits and distinguishes UTC from NTZ', () => {
    expect(parseTimestamp('2024-01-01T00:00:00.5Z', true)).toBe(1704067200500000n)
    expect(parseTimestamp('2024-01-01T00:00:00', false)).toBe(1704067200000000n)
    expect(parseTimestamp('2024-01-01T00:00:00Z', false)).toBeUndefined()
    expect(parseTimestamp('2024-01-01T00:00:00', true)).toBeUndefined()
    expect(parseTimestamp('2024-01-01T24:00:00Z', true)).toBeUndefined()
    expect(formatTimestamp(-1n, false, 3)).toBe('1969-12-31T23:59:59.999')
  })
})

describe('decimals', () => {
  it.each([
    ['-12.50', 5, 2, -1250n],
    ['0', 1, 0, 0n],
    ['12345678901234567890123456789012345678', 38, 0, 12345678901234567890123456789012345678n],
    ['1.5', 4, 3, 1500n],
  ])('parses %s as decimal(%i,%i)', (text, p, s, unscaled) => {
    expect(parseDecimal(text, p, s)).toBe(unscaled)
  })

  it.each([['1.234', 5, 2], ['1000', 3, 0], ['1e5', 9, 0], ['.5', 2, 1]])('rejects %s as decimal(%i,%i)', (text, p, s) => {
    expect(parseDecimal(text, p, s)).toBeUndefined()
  })

  it('formats with exactly scale digits', () => {
    expect(formatDecimal(-5n, 3)).toBe('-0.005')
    expect(formatDecimal(1234n, 0)).toBe('1234')
  })

  it('reads big-endian two complement bytes and sizes FIXED_LEN_BYTE_ARRAY like Spark', () => {
    expect(bigintFromBytes(new Uint8Array([0xff, 0xfe]))).toBe(-2n)
    expect(bigintFromBytes(new Uint8Array([0x00, 0x80]))).toBe(128n)
    expect([10, 18, 19, 38].map(decimalByteLength)).toEqual([5, 8, 9, 16])
  })

  it('finds JSON numbers that bound values float64 cannot hold', () => {
    const exact = { unscaled: 12345678901234567890123n, scale: 3 }
    const min = jsonNumberBound(exact, 'min') as number
    const max = jsonNumberBound(exact, 'max') as number
    expect(BigInt(Math.floor(min)) * 1000n).toBeLessThanOrEqual(exact.unscaled)
    expect(BigInt(Math.ceil(max)) * 1000n).toBeGreaterThanOrEqual(exact.unscaled)
    expect(jsonNumberBound({ unscaled: 125n, scale: 2 }, 'min')).toBe(1.25)
  })
})
