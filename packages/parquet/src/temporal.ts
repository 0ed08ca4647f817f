// Exact conversions between Delta's date/timestamp strings and Parquet's day and microsecond counts.
// Pure integer arithmetic (proleptic Gregorian, any year); never goes through JS Date.

const MICROS_PER_DAY = 86_400_000_000n // microseconds in one day
const MICROS_PER_SECOND = 1_000_000n // microseconds in one second

const DATE_PATTERN = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})$/
const TIMESTAMP_PATTERN = /^([+-]\d{6}|\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(Z?)$/

/** Days since 1970-01-01 of a proleptic Gregorian civil date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** The civil date `[year, month, day]` of a day count since 1970-01-01. */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468
  const era = Math.floor(z / 146097)
  const doe = z - era * 146097
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365)
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100))
  const mp = Math.floor((5 * doy + 2) / 153)
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1
  const month = mp < 10 ? mp + 3 : mp - 9
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day]
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}

function formatYear(year: number): string {
  if (year >= 0 && year <= 9999) return pad(year, 4)
  return (year < 0 ? '-' : '+') + pad(Math.abs(year), 6)
}

/** `YYYY-MM-DD` of a day count since the epoch. */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days)
  return `${formatYear(y)}-${pad(m, 2)}-${pad(d, 2)}`
}

function civilDays(year: string, month: string, day: string): number | undefined {
  const y = Number(year)
  const m = Number(month)
  const d = Number(day)
  const days = daysFromCivil(y, m, d)
  const [cy, cm, cd] = civilFromDays(days)
  return cy === y && cm === m && cd === d ? days : undefined
}

/** The number of the ASCII digits `text[start..start+count)`, or -1 when one is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let n = 0
  for (let i = start; i < start + count; i++) {
    const d = text.charCodeAt(i) - 48
    if (d < 0 || d > 9) return -1
    n = n * 10 + d
  }
  return n
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Days of the 4-digit-year `YYYY-MM-DD` at the start of `text`, undefined when not that form or invalid. */
function fastDays(text: string): number | undefined {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined // '-'
  const y = digitsAt(text, 0, 4)
  const m = digitsAt(text, 5, 2)
  const d = digitsAt(text, 8, 2)
  if (y < 0 || m < 1 || m > 12 || d < 1) return undefined
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
  if (d > (m === 2 && leap ? 29 : (DAYS_IN_MONTH[m - 1] as number))) return undefined
  return daysFromCivil(y, m, d)
}

/** Day count of a `YYYY-MM-DD` string, or undefined when it is not a valid calendar date. */
export function parseDate(text: string): number | undefined {
  if (text.length === 10) return fastDays(text)
  const match = DATE_PATTERN.exec(text)
  if (!match) return undefined
  return civilDays(match[1] as string, match[2] as string, match[3] as string)
}

/**
 * Microseconds since the epoch of an ISO timestamp `YYYY-MM-DDTHH:MM:SS[.ffffff]` with a trailing `Z`
 * when `utc`, without one otherwise; undefined when malformed.
 */
export function parseTimestamp(text: string, utc: boolean): bigint | undefined {
  if (text.length === (utc ? 27 : 26)) {
    const micros = parseCanonicalTimestamp(text, utc)
    if (micros !== undefined) return micros
  }
  const match = TIMESTAMP_PATTERN.exec(text)
  if (!match || (match[8] === 'Z') !== utc) return undefined
  const days = civilDays(match[1] as string, match[2] as string, match[3] as string)
  const [h, mi, s] = [Number(match[4]), Number(match[5]), Number(match[6])]
  if (days === undefined || h > 23 || mi > 59 || s > 59) return undefined
  const fraction = BigInt((match[7] ?? '').padEnd(6, '0'))
  return BigInt(days) * MICROS_PER_DAY + BigInt(h * 3600 + mi * 60 + s) * MICROS_PER_SECOND + fraction
}

/** Memo of the date part of the last canonical timestamp (rows of one file mostly share a day). */
let memoDate = '1970-01-01'
let memoDays = 0

/**
 * Micros of the canonical `YYYY-MM-DDTHH:MM:SS.ffffff[Z]` (what the writer's coercion produces); undefined
 * when `text` is not exactly that form, so the general parser decides (same results, no regex).
 */
function parseCanonicalTimestamp(text: string, utc: boolean): bigint | undefined {
  if (text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58 || text.charCodeAt(19) !== 46) return undefined
  if (utc && text.charCodeAt(26) !== 90) return undefined // 'T' ':' ':' '.' 'Z'
  let days = memoDays
  if (!text.startsWith(memoDate)) {
    const parsed = fastDays(text)
    if (parsed === undefined) return undefined
    days = parsed
    memoDate = text.slice(0, 10)
    memoDays = parsed
  }
  const h = digitsAt(text, 11, 2)
  const mi = digitsAt(text, 14, 2)
  const s = digitsAt(text, 17, 2)
  const fraction = digitsAt(text, 20, 6)
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59 || fraction < 0) return undefined
  const seconds = days * 86_400 + h * 3600 + mi * 60 + s
  const micros = seconds * 1_000_000 + fraction
  return Number.isSafeInteger(micros) ? BigInt(micros) : BigInt(seconds) * MICROS_PER_SECOND + BigInt(fraction)
}

/** Floor division of bigints (rounds toward negative infinity). */
export function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return (a % b !== 0n && (a < 0n) !== (b < 0n)) ? q - 1n : q
}

/**
 * ISO string of a microsecond count: `fractionDigits` (6 or 3) digits after the seconds, truncated,
 * with `Z` when `utc`.
 */
export function formatTimestamp(micros: bigint, utc: boolean, fractionDigits: 3 | 6 = 6): string {
  const exact = Number(micros)
  if (Number.isSafeInteger(exact)) return formatSafeTimestamp(exact, utc, fractionDigits)
  const days = floorDiv(micros, MICROS_PER_DAY)
  const inDay = micros - days * MICROS_PER_DAY
  const seconds = Number(inDay / MICROS_PER_SECOND)
  const fraction = pad(Number(inDay % MICROS_PER_SECOND), 6).slice(0, fractionDigits)
  const time = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`
  return `${formatDate(Number(days))}T${time}.${fraction}${utc ? 'Z' : ''}`
}

/** `'00'`..`'99'`. */
const TWO_DIGITS = Array.from({ length: 100 }, (_x, i) => pad(i, 2))
/** Memo of the last day formatted by `formatSafeTimestamp` (rows of one file mostly share a day). */
let memoFormatDay = 0
let memoFormatPrefix = '1970-01-01T'

/** `formatTimestamp` of a micros count held exactly by a JS number: number arithmetic, the date part memoized. */
function formatSafeTimestamp(micros: number, utc: boolean, fractionDigits: 3 | 6): string {
  const days = Math.floor(micros / 86_400_000_000)
  if (days !== memoFormatDay) {
    memoFormatPrefix = `${formatDate(days)}T`
    memoFormatDay = days
  }
  const inDay = micros - days * 86_400_000_000
  const seconds = Math.floor(inDay / 1_000_000)
  const fraction = pad(inDay - seconds * 1_000_000, 6)
  const time = (TWO_DIGITS[Math.floor(seconds / 3600)] as string) + ':' + (TWO_DIGITS[Math.floor(seconds / 60) % 60] as string) + ':' +
    (TWO_DIGITS[seconds % 60] as string)
  return memoFormatPrefix + time + '.' + (fractionDigits === 6 ? fraction : fraction.slice(0, 3)) + (utc ? 'Z' : '')
}
