// Proleptic Gregorian calendar arithmetic (days since 1970-01-01 <-> year/month/day) and the
// canonical text forms of dates and timestamps in the `Value` model. Pure; no `Date` parsing.

import { civilFromDays, daysFromCivil } from '../parquet-values.js'

/** A UTC instant (or a zone-less wall-clock time) split to stay exact beyond 2^53 microseconds. */
export interface Instant {
  /** Whole seconds since 1970-01-01T00:00:00. */
  readonly seconds: number
  /** Microseconds within the second, 0..999999. */
  readonly micros: number
}

const SECONDS_PER_DAY = 86_400

export { civilFromDays, daysFromCivil }

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
