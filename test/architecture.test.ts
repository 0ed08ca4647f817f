// The architecture rules of .dependency-cruiser.cjs bite: depcruise, run as `npm test` runs it, reports
// a package importing upward, a pure core folder importing node:fs, an import cycle, an upward import
// between core's layers, an operation importing another, an impure operation plan and a codec value
// imported outside engine.ts as errors (non-zero exit), and passes a clean tree.
import { spawn } from 'node:child_process'
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
async function cruiseTree(files: Readonly<Record<string, string>>): Promise<Cruise> {
  const dir = tempDir('lake-arch-')
  writeFileSync(join(dir, 'tsconfig.depcruise.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext' } }))
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true })
    writeFileSync(join(dir, path), source)
  }
  // The reporter `npm test` uses (scripts/test.mjs), so the exit status is the one that fails CI.
  const args = ['--config', join(root, '.dependency-cruiser.cjs'), '--output-type', 'err', 'packages']
  // Asynchronous, so the test worker keeps answering vitest while depcruise runs (seconds on a loaded machine).
  const run = await new Promise<{ status: number | null; stdout: string }>((resolve, reject) => {
    const child = spawn(depcruise, args, { cwd: dir })
    let stdout = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.on('error', reject).on('close', (status) => resolve({ status, stdout }))
  })
  const violations = [...run.stdout.matchAll(/^ {2}(error|warn) ([\w-]+): (\S+) → *\n?\s*(\S+)/gm)]
  return { status: run.status, violations: violations.map(([, severity, rule, from, to]) => `${severity} ${rule}: ${from} -> ${to}`).sort() }
}

const rulesOf = (cruise: Cruise) => cruise.violations

describe('architecture rules (.dependency-cruiser.cjs)', () => {
  it('passes a tree whose imports point down', async () => {
    const cruise = await cruiseTree({
      'packages/storage/src/index.ts': 'export const store = 1\n',
      'packages/core/src/errors.ts': "import { store } from '../../storage/src/index.js'\nexport const e = store\n",
      'packages/core/src/actions/types.ts': "import { e } from '../errors.js'\nexport const t = e\n",
      'packages/core/src/table/delta-table.ts': "import { t } from '../actions/types.js'\nexport const d = t\n",
    })
    expect(rulesOf(cruise)).toEqual([])
    expect(cruise.status).toBe(0)
  })

  it('fails on a package importing upward, a pure folder importing node:fs and a cycle', async () => {
    const cruise = await cruiseTree({
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

  it('fails on an upward import between core layers', async () => {
    const cruise = await cruiseTree({
      'packages/core/src/actions/up.ts': "import { d } from '../table/delta-table.js'\nexport const u = d\n",
      'packages/core/src/table/delta-table.ts': 'export const d = 1\n',
    })
    expect(rulesOf(cruise)).toEqual(['error core-layer-1-not-upward: packages/core/src/actions/up.ts -> packages/core/src/table/delta-table.ts'])
    expect(cruise.status).toBe(1)
  })

  it('keeps operations apart and their plans pure: a plan may import the Snapshot type, an execution the common folder of operations', async () => {
    const cruise = await cruiseTree({
      'packages/core/src/engine.ts': 'export const engine = 1\n',
      'packages/core/src/snapshot/snapshot.ts': 'export interface Snapshot { readonly version: number }\n',
      'packages/core/src/snapshot/load-snapshot.ts': "import { engine } from '../engine.js'\nexport const load = engine\n",
      'packages/core/src/operations/a/plan.ts':
        "import type { Snapshot } from '../../snapshot/snapshot.js'\nimport { load } from '../../snapshot/load-snapshot.js'\n" +
        "import { engine } from '../../engine.js'\nexport const plan = (s: Snapshot) => [s, load, engine]\n",
      'packages/core/src/operations/common/util.ts': 'export const util = 1\n',
      'packages/core/src/operations/b/execute.ts': 'export const b = 1\n',
      'packages/core/src/operations/a/execute.ts':
        "import { util } from '../common/util.js'\nimport { b } from '../b/execute.js'\nimport { plan } from './plan.js'\nexport const a = [util, b, plan]\n",
    })
    expect(rulesOf(cruise)).toEqual([
      'error core-operation-plans-pure: packages/core/src/operations/a/plan.ts -> packages/core/src/engine.ts',
      'error core-operation-plans-pure: packages/core/src/operations/a/plan.ts -> packages/core/src/snapshot/load-snapshot.ts',
      'error core-operations-independent: packages/core/src/operations/a/execute.ts -> packages/core/src/operations/b/execute.ts',
    ])
    expect(cruise.status).toBe(3)
  })

  it('lets only engine.ts and parquet-values.ts import values of @lake/parquet; types are free', async () => {
    const parquet = "'../../../parquet/src/index.js'"
    const cruise = await cruiseTree({
      'packages/parquet/src/index.ts': 'export const codec = 1\nexport type Row = Record<string, unknown>\n',
      'packages/core/src/engine.ts': `import { codec } from ${parquet}\nexport const engine = codec\n`,
      'packages/core/src/parquet-values.ts': `export { codec as setField } from '../../parquet/src/index.js'\n`,
      'packages/core/src/files/write.ts': `import { codec } from ${parquet}\nexport const w = codec\n`,
      'packages/core/src/scan/read.ts': `import type { Row } from ${parquet}\nexport const r = (row: Row) => row\n`,
    })
    expect(rulesOf(cruise)).toEqual(['error core-parquet-through-engine: packages/core/src/files/write.ts -> packages/parquet/src/index.ts'])
    expect(cruise.status).toBe(1)
  })
})
