// The regex-free fast paths of parseDate / parseTimestamp / parseDecimal / formatTimestamp give exactly
// what the general code (reference implementations below) gives, on canonical texts and on near misses.
import { describe, expect, it } from 'vitest'
import { parseDecimal } from '../src/decimal.js'
import { daysFromCivil, floorDiv, formatTimestamp, parseDate, parseTimestamp } from '../src/temporal.js'

const DATE = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})$/
const TS = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z?)$/

function referenceDays(y: number, m: number, d: number): number | undefined {
  const days = daysFromCivil(y, m, d)
  const back = new Date(Date.UTC(2000, 0, 1) + (days - daysFromCivil(2000, 1, 1)) * 86_400_000)
  const year = back.getUTCFullYear()
  return year === y && back.getUTCMonth() + 1 === m && back.getUTCDate() === d ? days : undefined
}

function referenceDate(text: string): number | undefined {
  const m = DATE.exec(text)
  return m ? referenceDays(Number(m[1]), Number(m[2]), Number(m[3])) : undefined
}

function referenceTimestamp(text: string, utc: boolean): bigint | undefined {
  const m = TS.exec(text)
  if (!m || (m[8] === 'Z') !== utc) return undefined
  const days = referenceDays(Number(m[1]), Number(m[2]), Number(m[3]))
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6])]
  if (days === undefined || h > 23 || mi > 59 || s > 59) return undefined
  return (BigInt(days) * 86_400n + BigInt(h * 3600 + mi * 60 + s)) * 1_000_000n + BigInt((m[7] ?? '').padEnd(6, '0'))
}

function referenceDecimal(text: string, precision: number, scale: number): bigint | undefined {
  const m = /^([+-]?)(\d+)(?:\.(\d+))?$/.exec(text)
  if (!m) return undefined
  const fraction = m[3] ?? ''
  if (/[1-9]/.test(fraction.slice(scale))) return undefined
  const magnitude = BigInt((m[2] as string) + fraction.slice(0, scale).padEnd(scale, '0'))
  if (magnitude >= 10n ** BigInt(precision)) return undefined
  return m[1] === '-' ? -magnitude : magnitude
}

const DATES = [
  '2024-02-29', '2023-02-29', '2000-02-29', '1900-02-29', '0000-02-29', '0001-01-01', '9999-12-31', '2024-00-10',
  '2024-13-01', '2024-04-31', '2024-04-30', '2024-01-00', '2024/01/01', '2024-1-010', '20a4-01-01', '+02024-01-01', '1969-12-31',
]

describe('fast parsers', () => {
  it('parse dates like the general parser', () => {
    for (const text of DATES) expect([text, parseDate(text)]).toEqual([text, referenceDate(text)])
  })

  it('parse canonical and near-canonical timestamps like the general parser, across memoized days', () => {
    const times = ['00:00:00.000000', '23:59:59.999999', '24:00:00.000000', '12:60:00.000000', '12:00:60.000000', '12:00:00.00000x', '12-00:00.000000']
    for (const date of [...DATES, '2024-02-29', '1970-01-01']) {
      for (const time of times) {
        for (const [zone, utc] of [['Z', true], ['', false], ['Z', false], ['', true], ['X', true]] as const) {
          const text = `${date}T${time}${zone}`
          expect([text, parseTimestamp(text, utc)]).toEqual([text, referenceTimestamp(text, utc)])
        }
      }
    }
  })

  it('parse decimals like the general parser, small and beyond 2^53', () => {
    const texts = ['0', '-0', '+0.00', '12.5', '-12.50', '12.501', '12.500000', '1.', '.5', '-', '', '1e5', '1.2.3', '00012.30',
      '99999999999999.99', '999999999999999.99', '9007199254740993', '-9007199254740993', '12345678901234567890', '1.5 ']
    for (const text of texts) {
      for (const [precision, scale] of [[5, 2], [18, 2], [16, 0], [38, 10], [2, 2], [1, 0]] as const) {
        expect([text, precision, scale, parseDecimal(text, precision, scale)]).toEqual([text, precision, scale, referenceDecimal(text, precision, scale)])
      }
    }
  })
})

describe('formatTimestamp', () => {
  it('formats like Date.toISOString plus the microseconds, inside and beyond 2^53 micros', () => {
    const samples = [0n, -1n, 1n, 999_999n, -86_400_000_000n, 2n ** 53n - 1n, -(2n ** 53n) + 1n, 2n ** 53n, 2n ** 53n + 7n, -(2n ** 53n) - 3n, 253_402_300_799_999_999n, -62_135_596_800_000_000n]
    for (let i = 0; i < 200; i++) samples.push(BigInt(Math.floor((Math.random() - 0.5) * 2 ** 60)))
    for (const micros of samples) {
      const millis = floorDiv(micros, 1000n)
      const iso = new Date(Number(millis)).toISOString().slice(0, -1)
      const micro = String(micros - millis * 1000n).padStart(3, '0')
      expect([micros, formatTimestamp(micros, true)]).toEqual([micros, `${iso}${micro}Z`])
      expect([micros, formatTimestamp(micros, false, 3)]).toEqual([micros, iso])
    }
  })
})
