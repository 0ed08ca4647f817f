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

/** Day count of a `YYYY-MM-DD` string, or undefined when it is not a valid calendar date. */
export function parseDate(text: string): number | undefined {
  const match = DATE_PATTERN.exec(text)
  if (!match) return undefined
  return civilDays(match[1] as string, match[2] as string, match[3] as string)
}

/**
 * Microseconds since the epoch of an ISO timestamp `YYYY-MM-DDTHH:MM:SS[.ffffff]` with a trailing `Z`
 * when `utc`, without one otherwise; undefined when malformed.
 */
export function parseTimestamp(text: string, utc: boolean): bigint | undefined {
  const match = TIMESTAMP_PATTERN.exec(text)
  if (!match || (match[8] === 'Z') !== utc) return undefined
  const days = civilDays(match[1] as string, match[2] as string, match[3] as string)
  const [h, mi, s] = [Number(match[4]), Number(match[5]), Number(match[6])]
  if (days === undefined || h > 23 || mi > 59 || s > 59) return undefined
  const fraction = BigInt((match[7] ?? '').padEnd(6, '0'))
  return BigInt(days) * MICROS_PER_DAY + BigInt(h * 3600 + mi * 60 + s) * MICROS_PER_SECOND + fraction
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
  const days = floorDiv(micros, MICROS_PER_DAY)
  const inDay = micros - days * MICROS_PER_DAY
  const seconds = Number(inDay / MICROS_PER_SECOND)
  const fraction = pad(Number(inDay % MICROS_PER_SECOND), 6).slice(0, fractionDigits)
  const time = `${pad(Math.floor(seconds / 3600), 2)}:${pad(Math.floor(seconds / 60) % 60, 2)}:${pad(seconds % 60, 2)}`
  return `${formatDate(Number(days))}T${time}.${fraction}${utc ? 'Z' : ''}`
}
