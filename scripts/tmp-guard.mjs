// A private temporary directory for a test run (scripts/test.mjs gives it to vitest as TMPDIR): made
// fresh before the run; afterwards whatever the tests left in it is reported, and it is removed.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** A fresh, empty directory under `parent` (default: the system's temporary directory). */
export function createPrivateTmp(parent = tmpdir()) {
  return mkdtempSync(join(parent, 'lake-test-tmpdir-'))
}

/** The entries left in `dir`, as absolute paths; directories end with `/` (their contents are not listed). */
export function leftoversIn(dir) {
  return readdirSync(dir, { withFileTypes: true })
    .map((entry) => join(dir, entry.name) + (entry.isDirectory() ? '/' : ''))
    .sort()
}

/** The environment variables that point a run (and Node's `os.tmpdir()`) at `dir`. */
export function tmpEnv(dir) {
  return { TMPDIR: dir, TMP: dir, TEMP: dir }
}

/**
 * Lists what is left in `dir`, prints it through `log` when anything is, removes `dir`, and returns
 * the leftovers (empty when the tests cleaned up after themselves).
 */
export function finishPrivateTmp(dir, log = console.error) {
  let left = []
  try {
    left = leftoversIn(dir)
    if (left.length > 0) {
      log(`[test] FAILED: the tests left ${left.length} temporary entries in TMPDIR (each test must remove what it creates):`)
      for (const path of left) log(`  ${path}`)
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return left
}
