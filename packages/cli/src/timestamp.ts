// Parses --timestamp values: ISO-8601 with a zone, zone-less ISO (UTC), a bare date (00:00 UTC),
// or epoch milliseconds. Pure.

import { UsageError } from './usage-error.js'

const EPOCH_MS = /^-?\d+$/
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}(?::?\d{2})?)?$/i

/**
 * The instant a timestamp argument names, in epoch ms. A value without a zone is UTC.
 * @throws UsageError when it matches none of the accepted forms or is not a real date.
 */
export function parseTimestampArg(text: string): number {
  const value = text.trim()
  let ms = Number.NaN
  if (EPOCH_MS.test(value)) ms = Number(value)
  else if (DATE_ONLY.test(value)) ms = checkedDate(`${value}T00:00:00Z`, value)
  else {
    const m = DATE_TIME.exec(value)
    if (m !== null) ms = checkedDate(`${m[1]}T${fraction(m[2] ?? '')}${normalizeZone(m[3])}`, value)
  }
  if (!Number.isSafeInteger(ms)) {
    throw new UsageError(
      `invalid timestamp '${text}': expected ISO-8601 (2024-05-01T12:00:00Z, 2024-05-01T12:00:00+02:00), a date (2024-05-01) or epoch milliseconds`,
      'a timestamp without a zone is read as UTC',
    )
  }
  return ms
}

/** Date.parse keeps milliseconds only: truncate longer fractions (time travel is per commit anyway). */
function fraction(time: string): string {
  const [hms = '', frac] = time.split('.')
  const full = hms.length === 5 ? `${hms}:00` : hms
  return frac === undefined ? full : `${full}.${frac.slice(0, 3).padEnd(3, '0')}`
}

function normalizeZone(zone: string | undefined): string {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 'Z'
  const digits = zone.replace(':', '')
  return digits.length === 3 ? `${digits}:00` : `${digits.slice(0, 3)}:${digits.slice(3)}`
}

/** Parses an ISO string and checks the calendar date survived (2024-02-30 is refused). */
function checkedDate(iso: string, original: string): number {
  const ms = Date.parse(iso)
  if (!Number.isFinite(ms)) return Number.NaN
  const datePart = original.slice(0, 10)
  const [y, mo, d] = datePart.split('-').map(Number)
  const probe = new Date(Date.UTC(y ?? 0, (mo ?? 1) - 1, d ?? 0))
  return probe.getUTCDate() === d && probe.getUTCMonth() === (mo ?? 1) - 1 ? ms : Number.NaN
}
