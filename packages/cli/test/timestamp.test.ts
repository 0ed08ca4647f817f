// parseTimestampArg: ISO-8601 with zones, zone-less (UTC), dates, epoch ms, and refusals.

import { describe, expect, it } from 'vitest'
import { parseTimestampArg } from '../src/timestamp.js'

describe('parseTimestampArg', () => {
  it.each([
    ['2024-05-01T12:00:00Z', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01T12:00:00+02:00', Date.UTC(2024, 4, 1, 10)],
    ['2024-05-01T12:00:00-0130', Date.UTC(2024, 4, 1, 13, 30)],
    ['2024-05-01T12:00:00+02', Date.UTC(2024, 4, 1, 10)],
    ['2024-05-01T12:00:00', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01 12:00', Date.UTC(2024, 4, 1, 12)],
    ['2024-05-01T12:00:00.123456Z', Date.UTC(2024, 4, 1, 12, 0, 0, 123)],
    ['2024-05-01', Date.UTC(2024, 4, 1)],
    ['1714521600000', 1714521600000],
    ['0', 0],
  ])('reads %s', (text, expected) => {
    expect(parseTimestampArg(text)).toBe(expected)
  })

  it.each(['yesterday', '2024-13-01', '2024-02-30', '2024-05-01T25:00:00Z', '', '12.5', '2024/05/01'])('refuses %j with a usage error', (text) => {
    expect(() => parseTimestampArg(text)).toThrow(expect.objectContaining({ code: 'InvalidArgument', message: expect.stringContaining('invalid timestamp') }))
  })
})
