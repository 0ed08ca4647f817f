// LocalStore.removeStaleTemp: finds the `.lake-<hex>.tmp` files of killed writes (never listed as
// objects) older than a cutoff in any directory, removes them unless a dry run, ignores the rest.

import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { LocalStore } from '../src/index.js'

const dirs: string[] = []
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true })
})

function fileAt(root: string, key: string, mtimeMs: number): string {
  const full = join(root, ...key.split('/'))
  mkdirSync(join(full, '..'), { recursive: true })
  writeFileSync(full, 'x')
  utimesSync(full, new Date(mtimeMs), new Date(mtimeMs))
  return full
}

describe('LocalStore.removeStaleTemp', () => {
  it('removes temp files modified before the cutoff in every directory, keeps newer ones and other files', async () => {
    const root = mkdtempSync(join(tmpdir(), 'lake-stale-temp-'))
    dirs.push(root)
    const store = new LocalStore(root)
    const old = fileAt(root, 'a/_hidden/.lake-0123456789abcdef.tmp', 1_000_000)
    const fresh = fileAt(root, '.lake-0123456789abcdee.tmp', 3_000_000)
    const data = fileAt(root, 'a/part-0.parquet', 1_000_000)
    expect(await store.removeStaleTemp(2_000_000, { dryRun: true })).toEqual([{ path: 'a/_hidden/.lake-0123456789abcdef.tmp', size: 1, lastModified: 1_000_000 }])
    expect(existsSync(old)).toBe(true)
    expect((await store.removeStaleTemp(2_000_000)).map((m) => m.path)).toEqual(['a/_hidden/.lake-0123456789abcdef.tmp'])
    expect([old, fresh, data].map((f) => existsSync(f))).toEqual([false, true, true])
  })

  it('finds nothing under a missing root and honours an aborted signal', async () => {
    const store = new LocalStore(join(tmpdir(), 'lake-stale-temp-missing-root-does-not-exist'))
    expect(await store.removeStaleTemp(Date.now())).toEqual([])
    await expect(store.removeStaleTemp(Date.now(), { signal: AbortSignal.abort() })).rejects.toMatchObject({ code: 'Aborted', context: { method: 'removeStaleTemp' } })
  })
})
