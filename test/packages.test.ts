// Checks every published package's manifest: ESM, types-first exports, only dist published, Node
// >= 20, no unexpected runtime dependencies, a README, and workspace versions that agree.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const names = readdirSync(`${root}packages`)

interface Manifest {
  name: string
  version: string
  type?: string
  engines?: Record<string, string>
  files?: string[]
  exports?: Record<string, unknown>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
}

const manifest = (name: string): Manifest => JSON.parse(readFileSync(`${root}packages/${name}/package.json`, 'utf8')) as Manifest

/** Runtime dependencies each package may have (STYLE.md: storage and core have none of their own). */
const ALLOWED: Record<string, readonly string[]> = {
  storage: [],
  'storage-s3': ['@lake/storage'],
  parquet: ['@lake/storage', 'hyparquet', 'hyparquet-writer', 'hyparquet-compressors', 'zstd-napi', 'apache-arrow', 'parquet-wasm'],
  core: ['@lake/storage', '@lake/parquet'],
  // the server and its framework; the page (Vite, uPlot) is built into dist, so they are devDependencies
  ui: ['@lake/storage', '@lake/core', 'hono', '@hono/node-server'],
}

describe('package manifests', () => {
  it.each(names)('%s is ESM, publishes only dist (and a bin shim), needs Node >= 20.15 (zlib.crc32) and has a README', (name) => {
    const m = manifest(name)
    expect(m.name).toBe(`@lake/${name}`)
    expect(m.type).toBe('module')
    // dist, plus the CLI's committed bin shim (npm links bins at install, before dist exists)
    expect(m.files?.filter((f) => f !== 'bin')).toEqual(['dist'])
    expect(m.engines?.['node']).toBe('>=20.15')
    expect(existsSync(`${root}packages/${name}/README.md`)).toBe(true)
  })

  it.each(names)('%s lists types first in every export condition', (name) => {
    for (const [entry, target] of Object.entries(manifest(name).exports ?? {})) {
      if (typeof target === 'string') continue
      expect(Object.keys(target as object)[0], `${name} exports '${entry}'`).toBe('types')
    }
  })

  it.each(Object.keys(ALLOWED))('%s has no unexpected runtime dependencies', (name) => {
    expect(Object.keys(manifest(name).dependencies ?? {}).sort()).toEqual([...(ALLOWED[name] ?? [])].sort())
  })

  it('workspace dependencies point at the current version of each package', () => {
    const versions = new Map(names.map((n) => [`@lake/${n}`, manifest(n).version]))
    for (const name of names) {
      for (const [dep, range] of Object.entries(manifest(name).dependencies ?? {})) {
        if (versions.has(dep)) expect(range, `${name} -> ${dep}`).toBe(versions.get(dep))
      }
    }
  })
})

/** The runtime values of `@lake/core`'s public entry (packages/core/src/index.ts). */
const CORE_VALUES = [
  'ChangeDataError', 'CommitAttemptsExhaustedError', 'CommitConflictError', 'ConstraintViolationError', 'DeletionVectorError', 'DeltaTable', 'ExpressionError',
  'InvalidArgumentError', 'LakeError', 'MaintenanceError', 'MergeError', 'PartitionValueError', 'PredicateError', 'ProtocolError',
  'SchemaError', 'StorageError', 'StreamError', 'TableConfigError', 'TableError', 'WriteError', 'createEngine', 'formatType',
  'isLakeError', 'parseSchema', 'serializeSchema', 'streamTable', 'writeDelta',
]

/** The names `@lake/core` declares in dist/index.d.ts (values and types), each with its TSDoc text. */
function publicDeclarations(): Map<string, string> {
  const file = `${root}packages/core/dist/index.d.ts`
  const program = ts.createProgram([file], { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, strict: true, noEmit: true })
  const checker = program.getTypeChecker()
  const source = program.getSourceFile(file)
  const entry = source === undefined ? undefined : checker.getSymbolAtLocation(source)
  if (entry === undefined) throw new Error(`expected ${file} to be a module (run the build first)`)
  const out = new Map<string, string>()
  for (const symbol of checker.getExportsOfModule(entry)) {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol
    out.set(symbol.name, ts.displayPartsToString(target.getDocumentationComment(checker)).trim())
  }
  return out
}

describe('@lake/core public entry', () => {
  const declarations = publicDeclarations()
  const readme = readFileSync(`${root}packages/core/README.md`, 'utf8')

  it('exports the 27 runtime values of the list, and 110 names in all', async () => {
    const core: Record<string, unknown> = await import('@lake/core')
    expect(Object.keys(core).sort()).toEqual([...CORE_VALUES].sort())
    expect(declarations.size).toBe(110)
    for (const name of CORE_VALUES) expect(declarations.has(name), name).toBe(true)
  })

  it('@lake/core/internal re-exports every public value as the same object (instanceof holds across entries)', async () => {
    const core: Record<string, unknown> = await import('@lake/core')
    const internal: Record<string, unknown> = await import('@lake/core/internal')
    for (const name of CORE_VALUES) expect(internal[name], name).toBe(core[name])
    expect(Object.keys(internal).length).toBeGreaterThan(CORE_VALUES.length)
  })

  it('documents every exported declaration with TSDoc', () => {
    const undocumented = [...declarations].filter(([, doc]) => doc === '').map(([name]) => name)
    expect(undocumented).toEqual([])
  })

  it('is counted and listed in packages/core/README.md, which names the internal entry', () => {
    expect(readme).toContain(`exports ${declarations.size} names`)
    for (const name of declarations.keys()) expect(readme, name).toContain(`\`${name}\``)
    expect(readme).toContain('`@lake/core/internal`')
  })
})
