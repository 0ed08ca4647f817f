// Every golden table can be inspected with history, describe, schema, files and read at every
// version (in process, for speed). NEGATIVE tables exit 1 with their error; LOG-ONLY and vacuumed
// versions list their files but fail to read the missing data with exit 1.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { GOLDEN_DIR, goldenTables, lake, lakeInProcess, ndjson } from './cli-harness.js'
import type { GoldenTable } from './cli-harness.js'

const tables = goldenTables()
const dirOf = (t: GoldenTable): string => join(GOLDEN_DIR, t.tableRoot)
const isLogOnly = (t: GoldenTable): boolean => t.notes.some((n) => n.includes('LOG-ONLY'))
const onlyLatestReadable = (t: GoldenTable): boolean => t.notes.some((n) => n.includes('only latest'))

describe('golden tables through the CLI', () => {
  it('finds the golden manifest', () => {
    expect(tables.length).toBeGreaterThan(30)
  })

  for (const t of tables.filter((x) => x.negativeTest !== undefined)) {
    it(`NEGATIVE ${t.name}: describe, schema, files and read exit 1 with one error line`, async () => {
      for (const command of ['describe', 'schema', 'files', 'read']) {
        const result = await lakeInProcess([command, dirOf(t)])
        expect(result.code, `${command}: ${result.stderr}`).toBe(1)
        expect(result.stderr).toMatch(/^error: /)
        expect(result.stderr).not.toMatch(/\n\s+at /)
      }
    })
  }

  for (const t of tables.filter((x) => x.negativeTest === undefined)) {
    const latest = t.versions.at(-1)?.version ?? 0
    it(`${t.name}: history lists commits newest first`, async () => {
      const result = await lakeInProcess(['history', dirOf(t), '--format', 'ndjson'])
      expect(result.code, result.stderr).toBe(0)
      const entries = ndjson(result.stdout)
      expect(entries[0]?.['version']).toBe(latest)
      expect(entries.map((e) => e['version'])).toEqual([...entries.map((e) => e['version'] as number)].sort((a, b) => b - a))
    })

    it.each(t.versions.map((v) => [t.name, v.version, v.numFiles, v.numRows] as const))(
      '%s at version %i: describe, schema, files, read',
      async (_name, version, numFiles, numRows) => {
        const at = ['--version', String(version)]
        const detail = await lakeInProcess(['describe', dirOf(t), ...at, '--format', 'json'])
        expect(detail.code, detail.stderr).toBe(0)
        expect(JSON.parse(detail.stdout)).toMatchObject({ version, numFiles, partitionColumns: expect.any(Array) })

        const schema = await lakeInProcess(['schema', dirOf(t), ...at, '--format', 'json'])
        expect(schema.code, schema.stderr).toBe(0)
        expect(JSON.parse(schema.stdout)).toMatchObject({ type: 'struct' })
        const tree = await lakeInProcess(['schema', dirOf(t), ...at, '--format', 'table'])
        expect(tree.stdout.startsWith('root\n')).toBe(true)

        const files = await lakeInProcess(['files', dirOf(t), ...at, '--format', 'ndjson'])
        expect(files.code, files.stderr).toBe(0)
        expect(ndjson(files.stdout)).toHaveLength(numFiles)

        const rows = await lakeInProcess(['read', dirOf(t), ...at, '--format', 'ndjson'])
        const missingData = numFiles > 0 && (isLogOnly(t) || (onlyLatestReadable(t) && version !== latest))
        if (missingData) {
          expect(rows.code, rows.stderr).toBe(1)
          expect(rows.stderr).toMatch(/^error: /)
        } else {
          expect(rows.code, rows.stderr).toBe(0)
          if (numRows !== null) expect(ndjson(rows.stdout)).toHaveLength(numRows)
        }
      },
    )
  }

  it('renders a partitioned golden table as an aligned table and CSV from the spawned binary', async () => {
    const dir = join(GOLDEN_DIR, 'data-reader-partition-values')
    const table = await lake(['read', dir, '--format', 'table', '--columns', 'as_int,as_long'])
    expect(table.code, table.stderr).toBe(0)
    expect(table.stdout.split('\n')[0]).toMatch(/^as_int\s+as_long$/)
    const csv = await lake(['files', dir, '--format', 'csv'])
    expect(csv.stdout.split('\n')[0]).toBe('path,partitionValues,size,modificationTime,numRecords,deletedRows')
  })
})
