// Contract cases for concurrent writers on one key: putIfAbsent has exactly one winner whose bytes
// are stored intact; concurrent puts leave one whole body.

import { describe, expect, it } from 'vitest'
import { listKeys, patternBytes, sameBytes } from './contract-helpers.js'
import type { ContractContext } from './contract-context.js'

const RACE_BODY_BYTES = 64 * 1024 // 64 KiB per writer
const PUT_RACE_WRITERS = 8 // concurrent plain puts on one key

/** Registers the race cases. */
export function describeRaceCases(ctx: ContractContext): void {
  describe('concurrent writers', () => {
    it(
      'lets exactly one of many concurrent putIfAbsent calls win, with its bytes intact',
      async () => {
        const store = await ctx.makeStore()
        const writers = ctx.quirks.raceWriters
        const bodies = Array.from({ length: writers }, (_, i) => patternBytes(RACE_BODY_BYTES, 1000 + i))
        // Bounded by the quirk: the point is that all calls are in flight at once.
        const results = await Promise.allSettled(bodies.map((body) => store.putIfAbsent('race/commit.json', body)))
        const winners = results.flatMap((r, i) => (r.status === 'fulfilled' ? [i] : []))
        expect(winners).toHaveLength(1)
        for (const result of results) {
          if (result.status === 'rejected') expect(result.reason).toMatchObject({ code: 'AlreadyExists' })
        }
        const stored = await store.get('race/commit.json')
        expect(sameBytes(stored, bodies[winners[0] as number] as Uint8Array)).toBe(true)
        expect(await listKeys(store, 'race/')).toEqual(['race/commit.json'])
      },
      60_000,
    )

    it(
      'leaves one whole body after concurrent puts on one key',
      async () => {
        const store = await ctx.makeStore()
        const bodies = Array.from({ length: PUT_RACE_WRITERS }, (_, i) => patternBytes(RACE_BODY_BYTES, 2000 + i))
        await Promise.all(bodies.map((body) => store.put('race/data.bin', body)))
        const stored = await store.get('race/data.bin')
        expect(bodies.some((body) => sameBytes(stored, body))).toBe(true)
        expect(await listKeys(store, 'race/')).toEqual(['race/data.bin'])
      },
      60_000,
    )
  })
}
