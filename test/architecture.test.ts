// The architecture rules of .dependency-cruiser.cjs bite: depcruise, run as `npm test` runs it, reports
// a package importing upward, a pure core folder importing node:fs and an import cycle as errors
// (non-zero exit), an upward import between core's layers as a warning, and passes a clean tree.
import { spawnSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { tempDir } from './temp-dir.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const depcruise = join(root, 'node_modules', '.bin', 'depcruise')

interface Cruise {
  /** depcruise's exit status: the number of `error` violations. */
  readonly status: number | null
  /** The reported violations as `severity rule: from -> to` (cycles: their first step), sorted. */
  readonly violations: readonly string[]
}

/** Writes `files` (path → source) under a fresh directory and runs depcruise there with lake's rules. */
function cruiseTree(files: Readonly<Record<string, string>>): Cruise {
  const dir = tempDir('lake-arch-')
  writeFileSync(join(dir, 'tsconfig.depcruise.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }))
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), source)
  }
  // The reporter `npm test` uses (scripts/test.mjs), so the exit status is the one that fails CI.
  const args = ['--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'err', 'packages']
  const run = spawnSync(depcruise, args, { cwd: dir, encoding: 'utf8' })
  const violations = [...run.stdout.matchAll(/^ {2}(error|warn) ([\w-]+): (\S+) → *\n?\s*(\S+)/gm)]
  return { status: run.status, violations: violations.map(([, severity, rule, from, to]) => `${severity} ${rule}: ${from} -> ${to}`).sort() }
}

const rulesOf = (cruise: Cruise) => cruise.violations

describe('architecture rules (.dependency-cruiser.cjs)', () => {
  it('passes a tree whose imports point down', () => {
    const cruise = cruiseTree({
      'packages/storage/src/index.ts': 'export const store = 1\n',
      'packages/core/src/errors.ts': "import { store } from '../../storage/src/index.js'\nexport const e = store\n",
      'packages/core/src/actions/types.ts': "import { e } from '../errors.js'\nexport const t = e\n",
      'packages/core/src/table/delta-table.ts': "import { t } from '../actions/types.js'\nexport const d = t\n",
    })
    expect(rulesOf(cruise)).toEqual([])
    expect(cruise.status).toBe(0)
  })

  it('fails on a package importing upward, a pure folder importing node:fs and a cycle', () => {
    const cruise = cruiseTree({
      'packages/storage/src/index.ts': "import { d } from '../../core/src/table/delta-table.js'\nexport const store = d\n",
      'packages/core/src/table/delta-table.ts': 'export const d = 1\n',
      'packages/core/src/actions/read-file.ts': "import { readFileSync } from 'node:fs'\nexport const r = readFileSync\n",
      'packages/core/src/expr/a.ts': "import { b } from './b.js'\nexport const a = () => b\n",
      'packages/core/src/expr/b.ts': "import { a } from './a.js'\nexport const b = () => a\n",
    })
    expect(rulesOf(cruise)).toEqual([
      'error core-pure-no-io-builtins: packages/core/src/actions/read-file.ts -> fs',
      'error no-module-cycles: packages/core/src/expr/a.ts -> packages/core/src/expr/b.ts',
      'error package-storage-downward-only: packages/storage/src/index.ts -> packages/core/src/table/delta-table.ts',
    ])
    expect(cruise.status).toBe(3) // depcruise exits with the number of errors
  })

  it('reports an upward import between core layers as a warning (warn level until issue 11 ends)', () => {
    const cruise = cruiseTree({
      'packages/core/src/actions/up.ts': "import { d } from '../table/delta-table.js'\nexport const u = d\n",
      'packages/core/src/table/delta-table.ts': 'export const d = 1\n',
    })
    expect(rulesOf(cruise)).toEqual(['warn core-layer-1-not-upward: packages/core/src/actions/up.ts -> packages/core/src/table/delta-table.ts'])
    expect(cruise.status).toBe(0)
  })
})
