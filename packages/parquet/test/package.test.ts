// The published manifest: types-first exports, only dist is shipped, only the expected runtime dependencies.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  exports: Record<string, Record<string, string> | string>
  files: string[]
  dependencies: Record<string, string>
}

describe('package.json', () => {
  it('lists types first in every conditional export and ships only dist', () => {
    const root = manifest.exports['.'] as Record<string, string>
    expect(Object.keys(root)[0]).toBe('types')
    expect(manifest.files).toEqual(['dist'])
  })

  it('depends only on storage, the hyparquet family, zstd-napi, apache-arrow and parquet-wasm', () => {
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@lake/storage', 'apache-arrow', 'hyparquet', 'hyparquet-compressors', 'hyparquet-writer', 'parquet-wasm', 'zstd-napi'])
  })
})
