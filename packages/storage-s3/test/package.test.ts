// Manifest checks of @lake/storage-s3: types-first exports, the SDK only as a peer, dist-only files.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as Record<string, unknown>

describe('@lake/storage-s3 package.json', () => {
  it('exports types first and ships only dist', () => {
    expect(Object.keys((manifest.exports as Record<string, Record<string, string>>)['.'] ?? {})).toEqual(['types', 'default'])
    expect(manifest.files).toEqual(['dist'])
    expect(manifest.type).toBe('module')
  })

  it('takes the AWS SDK as a peer dependency, never a runtime one', () => {
    expect(Object.keys(manifest.dependencies as object)).toEqual(['@lake/storage'])
    expect(manifest.peerDependencies).toHaveProperty('@aws-sdk/client-s3')
    expect((manifest.devDependencies as Record<string, string>)['@aws-sdk/client-s3']).toBe('~3.1169.0')
  })
})
