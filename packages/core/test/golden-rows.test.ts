// Scans every readable golden table at every version: row counts match the manifest, rows match its
// expected rows (normalised), and filters on partitioned tables prune/skip files with right counts.

import { LocalStore } from '@lake/storage'
import type { Row, Value } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { createEngine, loadSnapshot } from '../src/internal.js'
import { parseTimestampMicros } from '../src/partition/temporal.js'
import { parseDecimalText } from '../src/partition/decimal.js'
import { planScan, scan } from '../src/scan/index.js'
import { goldenTableDir, goldenTables } from './helpers/golden.js'
import type { GoldenTable } from './helpers/golden.js'

interface ManifestRows {
  readonly latestRowsDerived?: readonly Record<string, unknown>[]
  readonly datExpected?: readonly Record<string, unknown>[]
}

const NUMERIC = /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/
const TEMPORAL = /^\d{4}-\d\d-\d\d([ T]\d\d:\d\d(:\d\d(\.\d+)?)?)?(Z|[+-]\d\d(:?\d\d)?)?$/

/** A scalar as comparable text: numbers exact without trailing zeros, dates/timestamps as micros. */
function scalarText(v: string | number | bigint | boolean): string {
  const s = String(v)
  if (NUMERIC.test(s)) {
    const d = parseDecimalText(s)
    if (d === undefined) return s
    let { unscaled, scale } = d
    while (scale > 0 && unscaled % 10n === 0n) {
      unscaled /= 10n
      scale--
    }
    return `${unscaled}e-${scale}`
  }
  if (TEMPORAL.test(s)) return `ts:${parseTimestampMicros(s)?.micros ?? s}`
  return s
}

/** DuckDB's text form of a blob: printable ASCII as is, other bytes as \xHH. */
function blobText(bytes: Uint8Array): string {
  return [...bytes].map((b) => (b >= 32 && b <= 126 && b !== 92 ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('')
}

/** A value in one representation shared by our rows and the manifest's JSON rows. */
function normalise(v: unknown): unknown {
  if (v === null || v === undefined) return null
  if (v instanceof Uint8Array) return blobText(v)
  if (v instanceof Map) return [...v].map(([key, value]) => normalise({ key, value }))
  if (Array.isArray(v)) return v.map(normalise)
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, x]) => [k, normalise(x)]))
  }
  return scalarText(v as string | number | bigint | boolean)
}

function multiset(rows: readonly unknown[]): string[] {
  return rows.map((r) => JSON.stringify(normalise(r))).sort()
}

async function scanAll(table: GoldenTable, version?: number, options: Parameters<typeof scan>[2] = {}): Promise<Row[]> {
  const engine = createEngine(new LocalStore(goldenTableDir(table)))
  const snapshot = await loadSnapshot(engine, version === undefined ? {} : { version })
  const rows: Row[] = []
  for await (const batch of scan(engine, snapshot, options)) rows.push(...batch)
  return rows
}

const all = goldenTables()
const readable = all.filter((t) => t.negativeTest === undefined && !t.notes.some((n) => n.includes('LOG-ONLY')))
const table = (name: string): GoldenTable => all.find((t) => t.name === name) as GoldenTable

describe('golden rows', () => {
  it('has readable tables to scan', () => {
    expect(readable.length).toBeGreaterThan(25)
  })

  for (const t of readable) {
    // Vacuumed tables keep only the latest version's data files.
    const onlyLatest = t.notes.some((n) => n.includes('only latest'))
    const versions = onlyLatest ? t.versions.slice(-1) : t.versions
    it.each(versions.filter((v) => v.numRows !== null).map((v) => [t.name, v.version, v.numRows] as const))(
      '%s at version %i has %i rows',
      async (_name, version, numRows) => {
        expect((await scanAll(t, version)).length).toBe(numRows)
      },
    )

    const expected = (t as GoldenTable & ManifestRows).datExpected ?? (t as GoldenTable & ManifestRows).latestRowsDerived
    if (expected !== undefined) {
      it(`${t.name} latest rows match the manifest's rows`, async () => {
        expect(multiset(await scanAll(t))).toEqual(multiset(expected))
      })
    }
  }
})

interface FilterCase {
  readonly table: string
  readonly filter: string
  readonly matches: (row: Row) => boolean
}

const num = (v: Value | undefined): number => Number(v)

describe('golden filters', () => {
  it.each<FilterCase>([
    { table: 'dv-partitioned-with-checkpoint', filter: 'part = 3', matches: (r) => r['part'] === 3 },
    { table: 'dv-partitioned-with-checkpoint', filter: 'part IN (1, 2) AND col1 > 10', matches: (r) => [1, 2].includes(num(r['part'])) && num(r['col1']) > 10 },
    { table: 'dv-with-columnmapping', filter: 'PART >= 8', matches: (r) => num(r['part']) >= 8 },
    { table: 'dv-with-columnmapping', filter: 'col1 < 5', matches: (r) => num(r['col1']) < 5 },
    { table: 'data-reader-partition-values', filter: 'as_int IS NULL', matches: (r) => r['as_int'] === null },
    { table: 'data-reader-partition-values', filter: "as_timestamp = TIMESTAMP '2021-09-08 11:11:11' AND as_long = 1", matches: (r) => r['as_long'] === 1n },
    { table: 'kernel-timestamp-partition-col-ISO8601', filter: "ts > '2024-01-01 10:00:00'", matches: (r) => r['ts'] === '2024-01-02T12:30:00.000000Z' },
    { table: 'data-reader-timestamp_ntz', filter: "tsNtzPartition = TIMESTAMP_NTZ '2013-07-05 17:01:00.123456'", matches: (r) => r['tsNtzPartition'] === '2013-07-05T17:01:00.123456' },
    { table: 'data-reader-escaped-chars', filter: "_2 = 'bar+%22'", matches: (r) => r['_2'] === 'bar+%22' },
    { table: 'basic-with-inserts-deletes-checkpoint', filter: 'id >= 60', matches: (r) => num(r['id']) >= 60 },
    { table: 'krs-app-txn-checkpoint', filter: "modified = '2021-02-02'", matches: (r) => r['modified'] === '2021-02-02' },
  ])('$table with $filter returns the matching rows from fewer files', async ({ table: name, filter, matches }) => {
    const t = table(name)
    const engine = createEngine(new LocalStore(goldenTableDir(t)))
    const snapshot = await loadSnapshot(engine)
    const everything = await scanAll(t)
    const filtered = await scanAll(t, undefined, { filter })
    const plan = planScan(snapshot, { filter })
    expect(multiset(filtered)).toEqual(multiset(everything.filter(matches)))
    expect(filtered.length).toBeGreaterThan(0)
    expect(plan.files.length).toBeLessThan(snapshot.files().length)
    expect(plan.prunedByPartition + plan.skippedByStats).toBe(snapshot.files().length - plan.files.length)
  })

  it('projects columns in the requested order and reads partition-only projections from partition values', async () => {
    const rows = await scanAll(table('dv-partitioned-with-checkpoint'), undefined, { columns: ['col2', 'PART'] })
    expect(Object.keys(rows[0] ?? {})).toEqual(['col2', 'part'])
    const parts = await scanAll(table('dv-partitioned-with-checkpoint'), undefined, { columns: ['part'] })
    expect(parts).toHaveLength(35)
  })

  it('reads column-mapped nested columns under their logical names', async () => {
    const rows = await scanAll(table('table-with-columnmapping-mode-id'))
    const named = await scanAll(table('table-with-columnmapping-mode-name'))
    expect(rows).toHaveLength(6)
    expect(multiset(rows)).toEqual(multiset(named))
  })
})
