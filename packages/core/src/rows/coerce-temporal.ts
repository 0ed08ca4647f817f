// Coercion of JS inputs into the canonical strings of date, timestamp and timestamp_ntz values.
// Pure: parses ISO-8601 text by hand (never `Date.parse`, which is lenient and zone-dependent).

import { daysFromCivil, formatDate, formatInstant, instantFromMicros, instantFromMillis, isValidDate, yearOf } from './civil-time.js'
import type { Instant } from './civil-time.js'
import { Mismatch, WRONG_TYPE } from './mismatch.js'

const TIMESTAMP_TEXT =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/
const MS_PER_DAY = 86_400_000

/** date ← `'YYYY-MM-DD'` (a real date, years 0001..9999) or a `Date` at UTC midnight. */
export function coerceDate(value: unknown): string | Mismatch {
  if (typeof value === 'string') {
    const days = dateDays(value)
    if (days === MALFORMED) return new Mismatch('expected YYYY-MM-DD')
    return days === INVALID ? new Mismatch('not a valid date') : value
  }
  if (!(value instanceof Date)) return WRONG_TYPE
  const ms = value.getTime()
  if (Number.isNaN(ms)) return new Mismatch('invalid Date')
  if (ms % MS_PER_DAY !== 0) return new Mismatch('not at UTC midnight')
  const year = value.getUTCFullYear()
  return year < 1 || year > 9999 ? new Mismatch('year outside 0001..9999') : formatDate(ms / MS_PER_DAY)
}

const MALFORMED = -Infinity
const INVALID = Infinity

/**
 * Days since the epoch of `'YYYY-MM-DD'` text, the date `coerceDate` accepts (a real date, years
 * 0001..9999); -Infinity when the text is not of that form, Infinity when it names no real date.
 */
export function dateDays(value: string): number {
  const y = dateDigits(value, 0, 4)
  const m = dateDigits(value, 5, 2)
  const d = dateDigits(value, 8, 2)
  if (value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45 || y < 0 || m < 0 || d < 0) return MALFORMED
  return isValidDate(y, m, d) ? daysFromCivil(y, m, d) : INVALID
}

/** The number of the ASCII digits `text[start..start+count)`, or -1 when one is not a digit. */
function dateDigits(text: string, start: number, count: number): number {
  let n = 0
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 48
    if (!(digit >= 0 && digit <= 9)) return -1
    n = n * 10 + digit
  }
  return n
}

/**
 * timestamp ← a `Date`, an ISO-8601 string with a zone (`Z` or `±HH:MM`; up to 6 fractional
 * digits, more only if zeros), or a bigint of microseconds since the epoch.
 * Returns `YYYY-MM-DDTHH:MM:SS.ffffffZ` in UTC.
 */
export function coerceTimestamp(value: unknown): string | Mismatch {
  if (value instanceof Date) return fromDate(value, 'Z')
  const instant = toInstant(value, true)
  return instant instanceof Mismatch ? instant : `${formatInstant(instant)}Z`
}

/**
 * timestamp_ntz ← an ISO-8601 string without a zone, a `Date` (its UTC wall-clock fields), or a
 * bigint of microseconds. Returns `YYYY-MM-DDTHH:MM:SS.ffffff`.
 */
export function coerceTimestampNtz(value: unknown): string | Mismatch {
  if (value instanceof Date) return fromDate(value, '')
  const instant = toInstant(value, false)
  return instant instanceof Mismatch ? instant : formatInstant(instant)
}

const MIN_MS = -62_135_596_800_000 // 0001-01-01T00:00:00Z in ms
const MAX_MS = 253_402_300_799_999 // 9999-12-31T23:59:59.999Z in ms

/** Memo of the last day formatted by `fromDate` (rows of one batch mostly share a day). Pure cache. */
let memoDay = Number.NaN
let memoPrefix = ''

/** Fast path for `Date` inputs: arithmetic on the millisecond count, the date part memoized. */
function fromDate(value: Date, suffix: string): string | Mismatch {
  const ms = value.getTime()
  if (Number.isNaN(ms)) return new Mismatch('invalid Date')
  if (ms < MIN_MS || ms > MAX_MS) return new Mismatch('year outside 0001..9999')
  const day = Math.floor(ms / MS_PER_DAY)
  if (day !== memoDay) {
    memoPrefix = `${formatDate(day)}T`
    memoDay = day
  }
  const msOfDay = ms - day * MS_PER_DAY
  const h = Math.floor(msOfDay / 3_600_000)
  const m = Math.floor(msOfDay / 60_000) % 60
  const sec = Math.floor(msOfDay / 1000) % 60
  // Concatenating table strings keeps the result a shallow rope (a template literal builds a deep one).
  const time = (TWO_DIGITS[h] as string) + ':' + (TWO_DIGITS[m] as string) + ':' + (TWO_DIGITS[sec] as string) + '.'
  return memoPrefix + time + ((suffix === 'Z' ? MILLIS_TEXT_Z : MILLIS_TEXT)[msOfDay % 1000] as string)
}

/** `'00'`..`'99'`. */
const TWO_DIGITS = Array.from({ length: 100 }, (_x, i) => String(i).padStart(2, '0'))
/** The fraction text of each millisecond, as microseconds: `'000000'`..`'999000'`, and with a `Z`. */
const MILLIS_TEXT = Array.from({ length: 1000 }, (_x, i) => `${String(i).padStart(3, '0')}000`)
const MILLIS_TEXT_Z = MILLIS_TEXT.map((text) => `${text}Z`)

function toInstant(value: unknown, zoned: boolean): Instant | Mismatch {
  let instant: Instant
  if (typeof value === 'string') {
    const parsed = parseTimestampText(value, zoned)
    if (parsed instanceof Mismatch) return parsed
    instant = parsed
  } else if (typeof value === 'bigint') instant = instantFromMicros(value)
  else if (value instanceof Date) {
    const ms = value.getTime()
    if (Number.isNaN(ms)) return new Mismatch('invalid Date')
    instant = instantFromMillis(ms)
  } else return WRONG_TYPE
  const year = yearOf(instant)
  return year < 1 || year > 9999 ? new Mismatch('year outside 0001..9999') : instant
}

function parseTimestampText(text: string, zoned: boolean): Instant | Mismatch {
  const m = TIMESTAMP_TEXT.exec(text)
  if (m === null) return new Mismatch('expected ISO-8601 YYYY-MM-DDTHH:MM:SS[.ffffff]' + (zoned ? 'Z' : ''))
  const [year, month, day, hour, minute] = [1, 2, 3, 4, 5].map((i) => Number(m[i]))
  const second = Number(m[6] ?? '0')
  if (!isValidDate(year ?? 0, month ?? 0, day ?? 0)) return new Mismatch('not a valid date')
  if ((hour ?? 0) > 23 || (minute ?? 0) > 59 || second > 59) return new Mismatch('not a valid time of day')
  const fraction = m[7] ?? ''
  if (/[1-9]/.test(fraction.slice(6))) return new Mismatch('more than 6 fractional digits (microseconds)')
  const zone = m[8]
  if (zoned && zone === undefined) return new Mismatch('no time zone; add Z or an offset, or use timestamp_ntz')
  if (!zoned && zone !== undefined) return new Mismatch('has a time zone; timestamp_ntz takes none')
  const offset = zone === undefined ? 0 : parseOffsetSeconds(zone)
  if (offset === undefined) return new Mismatch('invalid zone offset')
  const days = daysFromCivil(year ?? 0, month ?? 0, day ?? 0)
  const seconds = days * 86_400 + (hour ?? 0) * 3600 + (minute ?? 0) * 60 + second - offset
  return { seconds, micros: Number(fraction.slice(0, 6).padEnd(6, '0')) }
}

/** Seconds east of UTC of `Z`, `+05`, `+0530` or `-05:30`; undefined when out of range. */
function parseOffsetSeconds(zone: string): number | undefined {
  if (zone === 'Z' || zone === 'z') return 0
  const digits = zone.slice(1).replace(':', '')
  const hours = Number(digits.slice(0, 2))
  const minutes = Number(digits.slice(2) || '0')
  if (hours > 18 || minutes > 59) return undefined
  return (zone.startsWith('-') ? -1 : 1) * (hours * 3600 + minutes * 60)
}
