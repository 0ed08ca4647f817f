// The published manifest of @lake/storage: types-first exports, no runtime dependencies, dist only.

import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'

const manifest = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, unknown>
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
  files: string[]
  type: string
}

describe('@lake/storage package.json', () => {
  it('lists types first in every conditional export', () => {
    for (const [entry, target] of Object.entries(manifest.exports)) {
      if (typeof target === 'string') continue
      expect(Object.keys(target as object)[0], entry).toBe('types')
    }
    expect(Object.keys(manifest.exports)).toEqual(['.', './package.json', './testing'])
  })

  it('has no runtime dependencies and only an optional vitest peer', () => {
    expect(manifest.dependencies ?? {}).toEqual({})
    expect(Object.keys(manifest.peerDependencies ?? {})).toEqual(['vitest'])
    expect(manifest.peerDependenciesMeta?.['vitest']?.optional).toBe(true)
  })

  it('publishes dist only, as ESM', () => {
    expect(manifest.files).toEqual(['dist'])
    expect(manifest.type).toBe('module')
  })
})
