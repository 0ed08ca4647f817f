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
  /** The key residue (key % 4) the DELETE removes; default 1 (a table without such keys sets another). */
  readonly deleteMod?: number
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
  {
    // Column mapping (name mode): files, stats and partition values under physical names.
    name: 'dv-with-columnmapping',
    root: 'dv-with-columnmapping',
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
    // Column mapping (name mode) with the change data feed turned on at version 1.
    name: 'krs-cdf-column-mapping-name-mode',
    root: 'krs-cdf-column-mapping-name-mode/cdf-column-mapping-name-mode',
    key: 'id',
    columns: ['id', 'name', 'value'],
    partitionColumns: [],
    cdf: true,
    dv: false,
    deleteMod: 0, // ids 2, 3, 4: none is 1 mod 4
    keyValue: (n) => BigInt(n),
    update: { set: { name: "concat(name, '-u')" }, apply: (r) => ({ ...r, name: withSuffix(r['name'], '-u') }) },
    merged: (r) => ({ ...r, name: `merged-${String(r['id'])}` }),
    inserted: (n, r) => ({ ...r, id: BigInt(n), name: 'new' }),
  },
]
