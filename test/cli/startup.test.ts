// Start-up cost of `lake`: a command loads only what it runs. Each case spawns the built CLI with a
// module hook that logs every module URL, then checks which packages were (not) loaded. `lake` runs
// its bundle (packages/cli/dist/bundle/: an entry and lazy chunks, scripts/bundle.mjs): a chunk it
// loads counts as every source file the chunk holds (the bundle's inputs.json lists them).

import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { BIN, GOLDEN_DIR, REPO_ROOT, tempDir } from './cli-harness.js'

const HOOKS = fileURLToPath(new URL('./fixtures/module-log-hooks.mjs', import.meta.url))
const { dir, cleanup } = tempDir('startup')
afterAll(cleanup)

const PACKAGES = {
  core: '/packages/core/',
  ingest: '/packages/ingest/dist/index.js', // its app-id rule (dist/job/app-id.js) is loaded to check --app-id
  parquet: '/packages/parquet/',
  ui: '/packages/ui/',
  storageS3: '/packages/storage-s3/',
  arrow: '/node_modules/apache-arrow/',
  parquetWasm: '/node_modules/parquet-wasm/',
  awsSdk: '/node_modules/@aws-sdk/',
} as const
type PackageName = keyof typeof PACKAGES

let runs = 0

/** Runs `node ...argv` with the module log and returns its exit code and the module URLs it loaded (each once). */
function moduleUrls(argv: readonly string[]): { code: number | null; urls: string[] } {
  const log = join(dir, `modules-${runs++}.txt`)
  const result = spawnSync(process.execPath, ['--import', HOOKS, ...argv], { env: { ...process.env, LAKE_MODULE_LOG: log, NO_COLOR: '1' }, encoding: 'utf8' })
  return { code: result.status, urls: [...new Set(readFileSync(log, 'utf8').split('\n').filter((u) => u !== ''))] }
}

const BUNDLE_DIR = join(REPO_ROOT, 'packages/cli/dist/bundle')
const BUNDLE_URL = `${pathToFileURL(BUNDLE_DIR).href}/`
const bundleInputs = JSON.parse(readFileSync(join(BUNDLE_DIR, 'inputs.json'), 'utf8')) as Record<string, string[]>

/** A loaded URL as the source files it holds: a bundle chunk's inputs (as `/`-rooted repository paths), else itself. */
function sources(url: string): string[] {
  if (!url.startsWith(BUNDLE_URL)) return [url]
  const inputs = bundleInputs[url.slice(BUNDLE_URL.length)]
  if (inputs === undefined) throw new Error(`${url}: expected a file listed in the bundle's inputs.json, found none`)
  return inputs.map((input) => `/${input}`)
}

/** Runs `lake ...args` and returns its exit code, the packages it loaded and whether it ran the bundle. */
function loaded(args: readonly string[]): { code: number | null; packages: Set<PackageName>; bundled: boolean } {
  const { code, urls } = moduleUrls([BIN, ...args])
  const files = urls.flatMap(sources)
  const packages = new Set<PackageName>()
  for (const [name, part] of Object.entries(PACKAGES) as [PackageName, string][]) {
    if (files.some((u) => u.includes(part))) packages.add(name)
  }
  return { code, packages, bundled: urls.some((u) => u.startsWith(BUNDLE_URL)) }
}

const WORKER = join(REPO_ROOT, 'packages/ingest/dist/encode/encode-worker.js')

describe('lake start-up loads only what the command runs', () => {
  it('--version and --help load no @lake package besides storage, no Arrow, Parquet or AWS SDK', () => {
    for (const args of [['--version'], ['--help'], ['ingest', '--help'], ['history', '--help'], ['ui', '--help']]) {
      const { code, packages } = loaded(args)
      expect(code, args.join(' ')).toBe(0)
      expect([...packages], args.join(' ')).toEqual([])
    }
  })

  it('a usage error (bad --app-id) is found without loading the ingest pipeline', () => {
    const { code, packages } = loaded(['ingest', 'x.ndjson', join(dir, 't'), '--app-id', '..'])
    expect(code).toBe(2)
    expect([...packages]).toEqual([])
  })

  it('history and read of a local row table load @lake/core but neither Arrow nor parquet-wasm, the S3 backend, the UI or the ingest package', () => {
    for (const command of ['history', 'read']) {
      const { code, packages, bundled } = loaded([command, join(GOLDEN_DIR, 'basic-with-inserts-updates')])
      expect(code, command).toBe(0)
      expect(bundled, command).toBe(true)
      expect(packages.has('core'), command).toBe(true)
      for (const name of ['arrow', 'parquetWasm', 'storageS3', 'awsSdk', 'ui', 'ingest'] as const) expect(packages.has(name), `${command}: ${name}`).toBe(false)
    }
  })

  it("an encoder worker's entry loads the encode path only: neither @lake/core's entries nor @lake/parquet's main entry", () => {
    const { code, urls } = moduleUrls(['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(WORKER).href)})`])
    expect(code).toBe(0)
    expect(urls).toContain(pathToFileURL(WORKER).href)
    for (const entry of ['core/dist/index.js', 'core/dist/internal.js', 'parquet/dist/index.js', 'ingest/dist/index.js']) {
      expect(urls.filter((u) => u.endsWith(`/packages/${entry}`)), entry).toEqual([])
    }
    // 510 modules with the barrels (2026-12-05); apache-arrow (about 150) and the codec remain.
    expect(urls.length).toBeLessThan(400)
  })

  it('ingest of a one-line NDJSON file encodes it on the main thread (no encoder worker starts) and loads no S3 or UI code', () => {
    const input = join(dir, 'one.ndjson')
    writeFileSync(input, '{"id":1,"name":"a"}\n')
    const { code, packages, bundled } = loaded(['ingest', input, join(dir, 'one-table')])
    expect(code).toBe(0)
    expect(bundled).toBe(true)
    expect(packages.has('ingest') || packages.has('core')).toBe(true)
    // A small input is encoded where it is read (line-route.ts INLINE_LINE_BYTES): the main thread loads the Arrow encoder.
    expect(packages.has('arrow')).toBe(true)
    for (const name of ['storageS3', 'awsSdk', 'ui'] as const) expect(packages.has(name), name).toBe(false)
  })

  it('ingest of a small CSV file encodes it on the main thread as well', () => {
    const input = join(dir, 'one.csv')
    writeFileSync(input, 'id,name\n1,a\n')
    const { code, packages } = loaded(['ingest', input, join(dir, 'one-csv-table'), '--input-format', 'csv'])
    expect(code).toBe(0)
    expect(packages.has('arrow')).toBe(true)
  })

  it('the encoder worker bundle is one module beside piscina and the native/wasm modules, the default codec inside it', () => {
    const bundle = join(REPO_ROOT, 'packages/ingest/dist/encode/encode-worker.bundle.js')
    const { code, urls } = moduleUrls(['--input-type=module', '-e', `await import(${JSON.stringify(pathToFileURL(bundle).href)})`])
    expect(code).toBe(0)
    const ours = urls.filter((u) => u.includes('/packages/'))
    expect(ours).toEqual([pathToFileURL(bundle).href])
    expect(urls.filter((u) => u.includes('/node_modules/apache-arrow/') || u.includes('/node_modules/hyparquet'))).toEqual([])
  })

  it('@lake/ingest/append, the entry of the CLI, holds the same values as @lake/ingest', async () => {
    const append = (await import('@lake/ingest/append')) as Record<string, unknown>
    const main = (await import('@lake/ingest')) as Record<string, unknown>
    expect(Object.keys(append).length).toBeGreaterThan(0)
    for (const [name, value] of Object.entries(append)) expect(main[name], name).toBe(value)
  })
})
