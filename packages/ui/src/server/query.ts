// Query parameters of the API, parsed strictly: a malformed one is a UiError `InvalidArgument`
// naming the parameter, answered with 400.

import { toEpochMs } from '@lake/core/internal'
import { UiError } from '../errors.js'

type Query = (name: string) => string | undefined

/** A non-negative integer parameter, `fallback` when absent. */
export function intParam(query: Query, name: string, fallback: number | undefined, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const text = query(name)
  if (text === undefined || text === '') return fallback
  const n = /^\d{1,16}$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(n) || n > max) {
    throw new UiError('InvalidArgument', `${name}: expected an integer from 0 to ${max}, found ${JSON.stringify(text)}`, { context: { parameter: name } })
  }
  return n
}

/** A timestamp parameter (ISO-8601, date or epoch ms) as epoch ms, undefined when absent. */
export function timestampParam(query: Query, name: string): number | undefined {
  const text = query(name)
  if (text === undefined || text === '') return undefined
  try {
    return toEpochMs(/^\d+$/.test(text) ? Number(text) : text)
  } catch (err) {
    throw new UiError('InvalidArgument', `${name}: expected an ISO-8601 time, a date or epoch milliseconds, found ${JSON.stringify(text)}`, { cause: err, context: { parameter: name } })
  }
}

/** A comma-separated list parameter, undefined when absent or empty. */
export function listParam(query: Query, name: string): string[] | undefined {
  const text = query(name)
  if (text === undefined || text.trim() === '') return undefined
  return text.split(',').map((s) => s.trim()).filter((s) => s !== '')
}
