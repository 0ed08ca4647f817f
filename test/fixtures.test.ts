// Checks fixtures/golden against its index: every table directory is in manifest.json and in
// README.md with its kind, and README's "also named by" column lists exactly the golden tests that
// name the table, so the index cannot drift from the tests.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const GOLDEN = join(ROOT, 'fixtures/golden')

interface ManifestTable {
  readonly name: string
  readonly tableRoot: string
  readonly negativeTest?: string
  readonly notes: readonly string[]
}

interface IndexRow {
  readonly kind: string
  readonly namedBy: readonly string[]
}

const manifest = (JSON.parse(readFileSync(join(GOLDEN, 'manifest.json'), 'utf8')) as { tables: ManifestTable[] }).tables

/** Every `*.test.ts` under a directory (skipping node_modules and dist), repo-relative. */
function testFiles(dir: string): string[] {
  const out: string[] = []
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue
    const path = join(dir, name)
    if (statSync(path).isDirectory()) out.push(...testFiles(path))
    else if (name.endsWith('.test.ts')) out.push(relative(ROOT, path))
  }
  return out
}

/** The README's table rows by table name. */
function readmeIndex(): Map<string, IndexRow> {
  const rows = new Map<string, IndexRow>()
  for (const line of readFileSync(join(GOLDEN, 'README.md'), 'utf8').split('\n')) {
    const cells = line.split(/(?<!\\)\|/).map((c) => c.trim())
    const name = /^`([^`]+)`$/.exec(cells[1] ?? '')?.[1]
    if (name === undefined) continue
    const namedBy = [...(cells[5] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string)
    rows.set(name, { kind: cells[3] ?? '', namedBy })
  }
  return rows
}

const kindOf = (t: ManifestTable): string =>
  t.negativeTest !== undefined ? 'NEGATIVE' : t.notes.some((n) => n.includes('LOG-ONLY')) ? 'LOG-ONLY' : 'readable'

const goldenTests = [...testFiles(join(ROOT, 'packages')), ...testFiles(join(ROOT, 'test'))]
  .filter((f) => /GOLDEN|goldenTable|readGolden/.test(readFileSync(join(ROOT, f), 'utf8')))
  .sort()

describe('fixtures/golden index', () => {
  const index = readmeIndex()

  it('has a manifest entry and a README row for every table directory, and nothing else', () => {
    const dirs = readdirSync(GOLDEN).filter((n) => statSync(join(GOLDEN, n)).isDirectory()).sort()
    expect(manifest.map((t) => t.tableRoot.split('/')[0]).sort()).toEqual(dirs)
    expect([...index.keys()].sort()).toEqual(manifest.map((t) => t.name).sort())
  })

  it('finds the golden tests to check against', () => {
    expect(goldenTests).toContain('packages/core/test/golden.test.ts')
    expect(goldenTests).toContain('test/cli/golden.test.ts')
  })

  it.each(manifest.map((t) => [t.name, t] as const))('%s: kind and the tests naming it are as README says', (name, table) => {
    const namedBy = goldenTests.filter((f) => readFileSync(join(ROOT, f), 'utf8').includes(`'${name}'`))
    expect(index.get(name)).toEqual({ kind: kindOf(table), namedBy })
  })
})
