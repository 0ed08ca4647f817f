// Proleptic Gregorian calendar arithmetic (days since 1970-01-01 <-> year/month/day) and the
// canonical text forms of dates and timestamps in the `Value` model. Pure; no `Date` parsing.

/** A UTC instant (or a zone-less wall-clock time) split to stay exact beyond 2^53 microseconds. */
export interface Instant {
  /** Whole seconds since 1970-01-01T00:00:00. */
  readonly seconds: number
  /** Microseconds within the second, 0..999999. */
  readonly micros: number
}

const SECONDS_PER_DAY = 86_400

/** Days since 1970-01-01 of a civil date (H. Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year
  const era = Math.floor(y / 400)
  const yoe = y - era * 400
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy
  return era * 146097 + doe - 719468
}

/** The civil date `[year, month, day]` of a day number (H. Hinnant's `civil_from_days`). */
export function civilFromDays(days: number): readonly [number, number, number] {
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

/** True when year/month/day is a real date of years 0001..9999. */
export function isValidDate(year: number, month: number, day: number): boolean {
  if (!(year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1)) return false
  return day <= (month === 2 && isLeapYear(year) ? 29 : (DAYS_IN_MONTH[month - 1] ?? 0))
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
}

/** `YYYY-MM-DD` of a day number. */
export function formatDate(days: number): string {
  const [y, m, d] = civilFromDays(days)
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`
}

/** `YYYY-MM-DDTHH:MM:SS.ffffff` (no zone suffix) of an instant. */
export function formatInstant(instant: Instant): string {
  const days = Math.floor(instant.seconds / SECONDS_PER_DAY)
  const secondOfDay = instant.seconds - days * SECONDS_PER_DAY
  const h = Math.floor(secondOfDay / 3600)
  const min = Math.floor((secondOfDay % 3600) / 60)
  const s = secondOfDay % 60
  return `${formatDate(days)}T${pad(h, 2)}:${pad(min, 2)}:${pad(s, 2)}.${pad(instant.micros, 6)}`
}

/** The instant of a microsecond count since the epoch (floor division for negatives). */
export function instantFromMicros(micros: bigint): Instant {
  let seconds = micros / 1_000_000n
  let rest = micros % 1_000_000n
  if (rest < 0n) {
    seconds -= 1n
    rest += 1_000_000n
  }
  return { seconds: Number(seconds), micros: Number(rest) }
}

/** The instant of a JS millisecond timestamp. */
export function instantFromMillis(millis: number): Instant {
  const seconds = Math.floor(millis / 1000)
  return { seconds, micros: (millis - seconds * 1000) * 1000 }
}

/** The year of an instant (to bound values to 0001..9999). */
export function yearOf(instant: Instant): number {
  return civilFromDays(Math.floor(instant.seconds / SECONDS_PER_DAY))[0]
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0')
}
