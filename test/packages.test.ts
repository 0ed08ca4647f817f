// Checks every published package's manifest: ESM, types-first exports, only dist published, Node
// >= 20, no unexpected runtime dependencies, a README, and workspace versions that agree.
import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
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
  parquet: ['@lake/storage', 'hyparquet', 'hyparquet-writer', 'hyparquet-compressors', 'zstd-napi'],
  core: ['@lake/storage', '@lake/parquet'],
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
