// Locating the shared golden tables (../shared/golden or $LAKE_SHARED_DIR/golden) and typing
// their manifest.json, for the snapshot golden test.

import { readFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** One version of a golden table as the manifest records it. */
export interface GoldenVersion {
  readonly version: number
  readonly numFiles: number
  readonly numRows: number | null
  readonly protocol: string
  readonly operation?: string
  readonly commitInfoTimestamp?: number
  readonly txns?: Readonly<Record<string, number>>
}

/** One golden table. */
export interface GoldenTable {
  readonly name: string
  readonly tableRoot: string
  readonly negativeTest?: string
  readonly notes: readonly string[]
  readonly partitionColumns: readonly string[]
  readonly versions: readonly GoldenVersion[]
}

const here = dirname(fileURLToPath(import.meta.url))
const repoRoot = resolve(here, '../../../..')

/** The golden directory: `$LAKE_SHARED_DIR/golden` or `<repo>/../shared/golden`. */
export const GOLDEN_DIR = process.env['LAKE_SHARED_DIR'] === undefined
  ? resolve(repoRoot, '../shared/golden')
  : resolve(process.env['LAKE_SHARED_DIR'], 'golden')

/** The parsed manifest's tables. */
export function goldenTables(): GoldenTable[] {
  const manifest = JSON.parse(readFileSync(join(GOLDEN_DIR, 'manifest.json'), 'utf8')) as { tables: GoldenTable[] }
  return manifest.tables
}

/** The absolute directory of a golden table. */
export function goldenTableDir(table: GoldenTable): string {
  return join(GOLDEN_DIR, table.tableRoot)
}
