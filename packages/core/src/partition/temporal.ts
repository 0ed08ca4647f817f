// Exact text <-> value conversions for date, timestamp and timestamp_ntz (proleptic Gregorian, UTC).
// Pure: no Date parsing of user text (Date.parse is lenient and millisecond-only), no clock.

import { civilFromDays, daysFromCivil } from '../parquet-values.js'

const MICROS_PER_SECOND = 1_000_000n
const MICROS_PER_DAY = 86_400_000_000n
const DATE_RE = /^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})$/
// date, then 'T' or ' ', HH:MM[:SS[.fraction]], then an optional zone (Z, +HH, +HH:MM, +HHMM, ' UTC').
const TIMESTAMP_RE =
  /^([+-]?\d{4,6})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}(?::?\d{2})?)?$/i

function isValidDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const [y, m, d] = civilFromDays(daysFromCivil(year, month, day))
  return y === year && m === month && d === day
}

function pad(n: number, width: number): string {
  const s = Math.abs(n).toString().padStart(width, '0')
  return n < 0 ? `-${s}` : s
}

/** `YYYY-MM-DD` of a day number since the epoch. */
export function formatDate(days: number): string {
  const [year, month, day] = civilFromDays(days)
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`
}

/** The canonical `YYYY-MM-DD` of a date text (`2024-1-5` too), or undefined when it is not a valid date. */
export function parseDate(text: string): string | undefined {
  const m = DATE_RE.exec(text.trim())
  if (m === null) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  return isValidDate(year, month, day) ? formatDate(daysFromCivil(year, month, day)) : undefined
}

function zoneOffsetMicros(zone: string | undefined): bigint {
  if (zone === undefined || /^(z|utc)$/i.test(zone)) return 0n
  const sign = zone.startsWith('-') ? -1n : 1n
  const digits = zone.slice(1).replace(':', '')
  const hours = BigInt(digits.slice(0, 2))
  const minutes = BigInt(digits.slice(2) || '0')
  return sign * (hours * 3600n + minutes * 60n) * MICROS_PER_SECOND
}

/** What `parseTimestampMicros` found: epoch micros, and whether the text carried a zone. */
export interface ParsedTimestamp {
  readonly micros: bigint
  readonly hasZone: boolean
}

/**
 * Parses `yyyy-MM-dd[( |T)HH:mm[:ss[.fffffffff]]][zone]` to epoch microseconds. Text without a zone
 * is read as UTC. Fraction digits beyond microseconds are truncated (as Spark does).
 * @returns undefined when the text is not a valid timestamp.
 */
export function parseTimestampMicros(text: string): ParsedTimestamp | undefined {
  const m = TIMESTAMP_RE.exec(text.trim())
  if (m === null) return undefined
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)]
  if (!isValidDate(year, month, day) || hour > 23 || minute > 59 || second > 59) return undefined
  const fraction = BigInt((m[7] ?? '').padEnd(6, '0').slice(0, 6))
  const seconds = BigInt(daysFromCivil(year, month, day)) * 86_400n + BigInt(hour * 3600 + minute * 60 + second)
  const micros = seconds * MICROS_PER_SECOND + fraction - zoneOffsetMicros(m[8])
  return { micros, hasZone: m[8] !== undefined }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b
  return a % b !== 0n && (a < 0n) !== (b < 0n) ? q - 1n : q
}

function formatWallClock(micros: bigint, separator: string): string {
  const days = floorDiv(micros, MICROS_PER_DAY)
  let rest = micros - days * MICROS_PER_DAY
  const fraction = rest % MICROS_PER_SECOND
  rest /= MICROS_PER_SECOND
  const hh = pad(Number(rest / 3600n), 2)
  const mm = pad(Number((rest / 60n) % 60n), 2)
  const ss = pad(Number(rest % 60n), 2)
  return `${formatDate(Number(days))}${separator}${hh}:${mm}:${ss}.${fraction.toString().padStart(6, '0')}`
}

/** The canonical timestamp value `YYYY-MM-DDTHH:MM:SS.ffffffZ` of epoch microseconds. */
export function formatTimestamp(micros: bigint): string {
  return `${formatWallClock(micros, 'T')}Z`
}

/** The canonical timestamp_ntz value `YYYY-MM-DDTHH:MM:SS.ffffff` of wall-clock microseconds. */
export function formatTimestampNtz(micros: bigint): string {
  return formatWallClock(micros, 'T')
}

/** Delta's partition serialization of a timestamp_ntz: `yyyy-MM-dd HH:mm:ss.ffffff`. */
export function formatTimestampNtzPartition(micros: bigint): string {
  return formatWallClock(micros, ' ')
}

/** Epoch days of a canonical `YYYY-MM-DD` date (or undefined when invalid). */
export function dateToDays(text: string): number | undefined {
  const m = DATE_RE.exec(text)
  if (m === null) return undefined
  return daysFromCivil(Number(m[1]), Number(m[2]), Number(m[3]))
}
