// Every golden table at every version in the manifest: the snapshot opens, file count, protocol,
// row count from stats minus DV cardinality, app txns; NEGATIVE tables fail with their code.

import { LocalStore } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { createEngine, loadSnapshot } from '../src/internal.js'
import type { Snapshot } from '../src/internal.js'
import { goldenTableDir, goldenTables } from './helpers/golden.js'

/** The error code each NEGATIVE table must fail with. */
const NEGATIVE_CODES: Readonly<Record<string, string>> = {
  'versions-not-contiguous': 'CorruptLog',
  'deltalog-invalid-protocol-version': 'InvalidProtocol',
}

/** sum(stats.numRecords) − DV cardinality over live files, or null when a file has no stats. */
function rowCount(snapshot: Snapshot): number | null {
  let rows = 0
  for (const file of snapshot.files()) {
    if (typeof file.stats !== 'string') return null
    const stats = JSON.parse(file.stats) as { numRecords?: number }
    if (typeof stats.numRecords !== 'number') return null
    rows += stats.numRecords - (file.deletionVector?.cardinality ?? 0)
  }
  return rows
}

const tables = goldenTables()

describe('golden tables', () => {
  it('covers every table of the manifest', () => {
    expect(tables.length).toBeGreaterThan(30)
  })

  for (const table of tables.filter((t) => t.negativeTest !== undefined)) {
    it(`refuses NEGATIVE table ${table.name}`, async () => {
      const engine = createEngine(new LocalStore(goldenTableDir(table)))
      const code = NEGATIVE_CODES[table.name]
      expect(code, `no expected code for NEGATIVE table ${table.name}`).toBeDefined()
      await expect(loadSnapshot(engine)).rejects.toMatchObject({ code })
    })
  }

  for (const table of tables.filter((t) => t.negativeTest === undefined)) {
    describe(table.name, () => {
      const engine = createEngine(new LocalStore(goldenTableDir(table)))

      it.each(table.versions.map((v) => [v.version, v] as const))('opens version %i as the manifest says', async (version, expected) => {
        const snapshot = await loadSnapshot(engine, { version })
        expect(snapshot.version).toBe(version)
        expect(snapshot.numFiles).toBe(expected.numFiles)
        expect(`${snapshot.protocol.minReaderVersion}/${snapshot.protocol.minWriterVersion}`).toBe(expected.protocol)
        const rows = rowCount(snapshot)
        if (expected.numRows !== null && rows !== null) expect(rows).toBe(expected.numRows)
        for (const [appId, txnVersion] of Object.entries(expected.txns ?? {})) {
          expect(snapshot.txnVersion(appId)).toBe(txnVersion)
        }
      })

      it('opens the latest version by default', async () => {
        const latest = table.versions.at(-1)
        const snapshot = await loadSnapshot(engine)
        expect(snapshot.version).toBe(latest?.version)
        expect(snapshot.partitionColumns).toEqual(table.partitionColumns)
      })
    })
  }
})
