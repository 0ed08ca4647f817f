// The published manifest: types-first exports, only dist is shipped, only the expected runtime dependencies.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, Record<string, string> | string>
  files: string[]
  dependencies: Record<string, string>
}

describe('package.json', () => {
  it('lists types first and ships only dist', () => {
    expect(Object.keys(manifest.exports['.'] as Record<string, string>)[0]).toBe('types')
    expect(manifest.files).toEqual(['dist'])
  })

  it('depends only on lake packages and the five chosen libraries', () => {
    expect(Object.keys(manifest.dependencies).sort()).toEqual(
      ['@lake/core', '@lake/parquet', '@lake/storage', 'csv-parse', 'fast-json-stable-stringify', 'p-limit', 'piscina', 'proper-lockfile'].sort(),
    )
  })
})
