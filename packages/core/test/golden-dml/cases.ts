// The golden tables other engines wrote with deletion vectors or the change data feed
// (fixtures/golden/manifest.json), and how the golden DML test changes each one: an integer key
// column the operations select rows by (key % 4), the UPDATE's SET and its effect, the MERGE source
// row of a matched key and the row of a new key, all with the JS types lake reads back.

import type { Row } from '@lake/parquet'

/** One writable golden table and its operations. */
export interface GoldenDmlCase {
  readonly name: string
  /** Table directory under fixtures/golden. */
  readonly root: string
  /** The integer column the operations select rows by. */
  readonly key: string
  /** Every column, in schema order. */
  readonly columns: readonly string[]
  readonly partitionColumns: readonly string[]
  readonly cdf: boolean
  readonly dv: boolean
  /** The key's JS value as lake reads it (int: number, long: bigint). */
  keyValue(n: number): unknown
  /** UPDATE ... SET (rows whose key % 4 = 2) and what it does to a row. */
  readonly update: { readonly set: Readonly<Record<string, string>>; apply(row: Row): Row }
  /** The MERGE source row for an existing target row (every non-key value may differ). */
  merged(row: Row): Row
  /** A new row with key `n`, like `template` otherwise. */
  inserted(n: number, template: Row): Row
}

const withSuffix = (value: unknown, suffix: string): string | null => (value === null || value === undefined ? null : `${String(value)}${suffix}`)

/** The tables lake can change: deletion vectors, the change data feed, or both. */
export const WRITABLE: readonly GoldenDmlCase[] = [
  {
    name: 'dv-partitioned-with-checkpoint',
    root: 'dv-partitioned-with-checkpoint',
    key: 'col1',
    columns: ['part', 'col1', 'col2'],
    partitionColumns: ['part'],
    cdf: false,
    dv: true,
    keyValue: (n) => n,
    update: { set: { col2: "concat(col2, '-u')" }, apply: (r) => ({ ...r, col2: withSuffix(r['col2'], '-u') }) },
    merged: (r) => ({ ...r, col2: `merged-${String(r['col1'])}` }),
    inserted: (n, r) => ({ ...r, col1: n, col2: 'new' }),
  },
  {
    name: 'log-replay-dv-key-cases',
    root: 'log-replay-dv-key-cases',
    key: 'id',
    columns: ['id'],
    partitionColumns: [],
    cdf: false,
    dv: true,
    keyValue: (n) => BigInt(n),
    update: { set: { id: 'id + 1000' }, apply: (r) => ({ ...r, id: BigInt(r['id'] as bigint) + 1000n }) },
    merged: (r) => ({ ...r }),
    inserted: (n) => ({ id: BigInt(n) }),
  },
  {
    name: 'krs-cdf-table',
    root: 'krs-cdf-table/cdf-table',
    key: 'id',
    columns: ['id', 'name', 'birthday'],
    partitionColumns: ['birthday'],
    cdf: true,
    dv: false,
    keyValue: (n) => n,
    update: { set: { name: 'upper(name)' }, apply: (r) => ({ ...r, name: r['name'] === null ? null : String(r['name']).toUpperCase() }) },
    merged: (r) => ({ ...r, name: `merged-${String(r['id'])}` }),
    inserted: (n, r) => ({ ...r, id: n, name: 'new' }),
  },
  {
    name: 'krs-compacted-log-files-table',
    root: 'krs-compacted-log-files-table/compacted-log-files-table',
    key: 'id',
    columns: ['id', 'comment'],
    partitionColumns: [],
    cdf: true,
    dv: true,
    keyValue: (n) => n,
    update: { set: { comment: "concat(comment, '-u')" }, apply: (r) => ({ ...r, comment: withSuffix(r['comment'], '-u') }) },
    merged: (r) => ({ ...r, comment: `merged-${String(r['id'])}` }),
    inserted: (n, r) => ({ ...r, id: n, comment: 'new' }),
  },
]

/** Golden tables with deletion vectors or the change data feed that lake refuses to change, and why. */
export const REFUSED: readonly { readonly name: string; readonly root: string; readonly feature: string; readonly partitionPredicate?: string; readonly dataPredicate: string; readonly set: Readonly<Record<string, string>>; readonly on: string }[] = [
  { name: 'dv-with-columnmapping', root: 'dv-with-columnmapping', feature: 'columnMapping', partitionPredicate: 'part = 1', dataPredicate: 'col1 = 1', set: { col2: "'x'" }, on: 'target.col1 = source.col1' },
  {
    name: 'krs-cdf-column-mapping-name-mode',
    root: 'krs-cdf-column-mapping-name-mode/cdf-column-mapping-name-mode',
    feature: 'columnMapping',
    dataPredicate: 'id = 1',
    set: { name: "'x'" },
    on: 'target.id = source.id',
  },
]
