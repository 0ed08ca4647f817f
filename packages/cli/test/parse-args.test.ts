// Option value parsers: integers, sizes, lists, key=value pairs and choices.

import { describe, expect, it } from 'vitest'
import { appIdArg, boundedInt, byteSize, commaList, duration, keyValue, nonNegativeInt, nonNegativeNumber, oneOf, positiveInt } from '../src/parse-args.js'

describe('option parsers', () => {
  it('reads non-negative integers and refuses others with the flag named', () => {
    expect(nonNegativeInt('--version')('12')).toBe(12)
    expect(() => nonNegativeInt('--version')('-1')).toThrow(/--version: expected a non-negative integer, found '-1'/)
    expect(() => nonNegativeInt('--version')('1.5')).toThrow(/--version/)
    expect(() => positiveInt('--limit')('0')).toThrow(/positive/)
  })

  it.each([
    ['1024', 1024],
    ['128MiB', 128 * 1024 * 1024],
    ['128m', 128 * 1024 * 1024],
    ['256MB', 256_000_000],
    ['1.5k', 1536],
  ])('reads size %s', (text, bytes) => {
    expect(byteSize('--target-size')(text)).toBe(bytes)
  })

  it('refuses bad sizes, retention and choices', () => {
    expect(() => byteSize('--target-size')('big')).toThrow(/--target-size/)
    expect(() => byteSize('--target-size')('0')).toThrow(/--target-size/)
    expect(() => nonNegativeNumber('--retention-hours')('-2')).toThrow(/--retention-hours/)
    expect(nonNegativeNumber('--retention-hours')('0.5')).toBe(0.5)
    expect(() => oneOf('--mode', ['append', 'overwrite'])('merge')).toThrow(/one of append, overwrite/)
  })

  it('splits lists and collects key=value pairs', () => {
    expect(commaList('--columns')(' a, b ,,c')).toEqual(['a', 'b', 'c'])
    expect(() => commaList('--columns')(',')).toThrow(/--columns/)
    const kv = keyValue('--property')
    expect(kv('b=x=y', kv('a=1', undefined))).toEqual({ a: '1', b: 'x=y' })
    expect(() => kv('novalue', undefined)).toThrow(/key=value/)
  })
})

describe('ingest option parsers', () => {
  it('bounds --concurrency to 1..64', () => {
    const parse = boundedInt('--concurrency', 1, 64)
    expect(parse('1')).toBe(1)
    expect(parse('64')).toBe(64)
    for (const bad of ['0', '65', '100000', '-1', '1.5', 'x', '']) {
      expect(() => parse(bad)).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: `--concurrency: expected an integer from 1 to 64, found '${bad}'` }))
    }
  })

  it('accepts job ids that name one directory and refuses . and ..', () => {
    const parse = appIdArg('--app-id')
    expect(parse('nightly-2024-05-01')).toBe('nightly-2024-05-01')
    expect(parse('a.b:c_d')).toBe('a.b:c_d')
    for (const bad of ['.', '..', '', 'a/b', '../x', 'x'.repeat(129), 'é']) {
      expect(() => parse(bad)).toThrow(expect.objectContaining({ code: 'InvalidArgument' }))
    }
  })

  it.each([
    ['10s', 10_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['1h', 3_600_000],
    ['1.5', 1500],
  ])('reads duration %s', (text, ms) => {
    expect(duration('--interval')(text)).toBe(ms)
  })

  it('refuses a duration it cannot read, naming the flag', () => {
    expect(() => duration('--interval')('soon')).toThrow(/--interval: expected a duration like 10s, 500ms, 2m or 1h, found 'soon'/)
    expect(() => duration('--interval')('-1s')).toThrow(/--interval/)
  })
})
