// Parsers for option values (versions, counts, sizes, lists, key=value pairs). Each throws a
// UsageError naming the option and the value found. Pure.

import { isValidAppId } from '@lake/ingest/app-id'
import { UsageError } from './usage-error.js'

const INTEGER = /^\d+$/
const SIZE = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb|tb|kib|mib|gib|tib|k|m|g|t)?$/i
const SIZE_UNITS: Readonly<Record<string, number>> = {
  b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2,
  g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1000 ** 4, tib: 1024 ** 4,
}

/** A parser of a non-negative integer option (`--version 3`, `--limit 10`). */
export function nonNegativeInt(flag: string): (text: string) => number {
  return (text) => {
    const n = Number(text)
    if (!INTEGER.test(text.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`${flag}: expected a non-negative integer, found '${text}'`)
    return n
  }
}

/** A parser of a positive integer option (`--batch-rows`, `--concurrency`). */
export function positiveInt(flag: string): (text: string) => number {
  const parse = nonNegativeInt(flag)
  return (text) => {
    const n = parse(text)
    if (n === 0) throw new UsageError(`${flag}: expected a positive integer, found '${text}'`)
    return n
  }
}

/** A parser of an integer option within `[min, max]` (`--concurrency 1..64`). */
export function boundedInt(flag: string, min: number, max: number): (text: string) => number {
  const parse = nonNegativeInt(flag)
  return (text) => {
    const n = INTEGER.test(text.trim()) ? parse(text) : Number.NaN
    if (!(n >= min && n <= max)) throw new UsageError(`${flag}: expected an integer from ${min} to ${max}, found '${text}'`)
    return n
  }
}

/** A parser of a job id (`--app-id`): what `isValidAppId` of @lake/ingest accepts. */
export function appIdArg(flag: string): (text: string) => string {
  return (text) => {
    if (!isValidAppId(text)) throw new UsageError(`${flag}: expected 1-128 characters of A-Z a-z 0-9 . _ : - (not '.' or '..'), found ${JSON.stringify(text)}`, 'the id names the job state directory <table>/_lake_ingest/<id>/')
    return text
  }
}

/** A parser of a non-negative number (`--retention-hours 0.5`). */
export function nonNegativeNumber(flag: string): (text: string) => number {
  return (text) => {
    const n = Number(text)
    if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag}: expected a non-negative number, found '${text}'`)
    return n
  }
}

/** A parser of a byte size: `134217728`, `128MiB`, `256MB`, `1g` (k/m/g/t without 'B' are binary). */
export function byteSize(flag: string): (text: string) => number {
  return (text) => {
    const m = SIZE.exec(text.trim())
    const n = m === null ? Number.NaN : Number(m[1]) * (SIZE_UNITS[(m[2] ?? 'b').toLowerCase()] ?? Number.NaN)
    if (!Number.isFinite(n) || n < 1) throw new UsageError(`${flag}: expected a size in bytes like 134217728, 128MiB or 256MB, found '${text}'`)
    return Math.floor(n)
  }
}

/** A comma-separated list (`--columns a,b`), empty items dropped. */
export function commaList(flag: string): (text: string) => string[] {
  return (text) => {
    const items = text.split(',').map((s) => s.trim()).filter((s) => s !== '')
    if (items.length === 0) throw new UsageError(`${flag}: expected a comma-separated list, found '${text}'`)
    return items
  }
}

/** A repeatable `k=v` option, collected into an object. */
export function keyValue(flag: string): (text: string, previous: Record<string, string> | undefined) => Record<string, string> {
  return (text, previous) => {
    const at = text.indexOf('=')
    if (at <= 0) throw new UsageError(`${flag}: expected key=value, found '${text}'`)
    return { ...previous, [text.slice(0, at).trim()]: text.slice(at + 1) }
  }
}

/** A parser accepting one of `choices`. */
export function oneOf<T extends string>(flag: string, choices: readonly T[]): (text: string) => T {
  return (text) => {
    const found = choices.find((c) => c === text)
    if (found === undefined) throw new UsageError(`${flag}: expected one of ${choices.join(', ')}, found '${text}'`)
    return found
  }
}

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/i
const DURATION_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }

/** A parser of a duration (`--interval 10s`, `500ms`, `2m`, `1h`; a bare number is seconds), in milliseconds. */
export function duration(flag: string): (text: string) => number {
  return (text) => {
    const m = DURATION.exec(text.trim())
    const ms = m === null ? Number.NaN : Number(m[1]) * (DURATION_MS[(m[2] ?? 's').toLowerCase()] ?? Number.NaN)
    if (!Number.isFinite(ms)) throw new UsageError(`${flag}: expected a duration like 10s, 500ms, 2m or 1h, found '${text}'`)
    return Math.round(ms)
  }
}
