// Locating the golden tables committed in fixtures/golden/ and typing their manifest.json, for the
// snapshot golden test.

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

/** The golden directory: `<repo>/fixtures/golden` (see its README.md). */
export const GOLDEN_DIR = resolve(here, '../../../../fixtures/golden')

/** The parsed manifest's tables. */
export function goldenTables(): GoldenTable[] {
  const manifest = JSON.parse(readFileSync(join(GOLDEN_DIR, 'manifest.json'), 'utf8')) as { tables: GoldenTable[] }
  return manifest.tables
}

/** The absolute directory of a golden table. */
export function goldenTableDir(table: GoldenTable): string {
  return join(GOLDEN_DIR, table.tableRoot)
}
