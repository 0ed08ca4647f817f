// The published manifest: types-first exports, dist and the bin shim shipped, the bin pointing at
// a file with a shebang, and the CLI version equal to package.json's.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CLI_VERSION } from '../src/program.js'

const root = fileURLToPath(new URL('..', import.meta.url))
const manifest = JSON.parse(readFileSync(`${root}package.json`, 'utf8')) as {
  version: string
  exports: Record<string, Record<string, string>>
  files: string[]
  bin: Record<string, string>
}

describe('@lake/cli package.json', () => {
  it('lists types first in exports and ships dist and bin', () => {
    expect(Object.keys(manifest.exports['.'] ?? {})[0]).toBe('types')
    expect(manifest.files).toEqual(['dist', 'bin'])
  })

  it('links lake to a committed shim with a node shebang that loads the bundle, else dist/bin.js', () => {
    const shim = readFileSync(`${root}${manifest.bin['lake']}`, 'utf8')
    expect(shim.startsWith('#!/usr/bin/env node\n')).toBe(true)
    expect(shim).toContain("new URL('../dist/bundle/lake.js', import.meta.url)")
    expect(shim).toContain("'../dist/bin.js'")
    expect(readFileSync(`${root}src/bin.ts`, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
  })

  it('reports the package version', () => {
    expect(CLI_VERSION).toBe(manifest.version)
  })
})
