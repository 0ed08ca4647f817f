// parquet-wasm is compiled with V8's lazy validation (src/arrow/wasm-tiering.ts `withLazyValidation`):
// inside it a module with an invalid function compiles (the function would fail when first called),
// before and after it such a module is refused, so only parquet-wasm's load skips the up-front check;
// a process that sets the flag itself keeps its choice. Observed in a child process (the flag is V8's,
// process-wide), against dist/.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

function probe(flags: readonly string[]): { before: boolean; inside: boolean; after: boolean } {
  const script = fileURLToPath(new URL('./workers/validation-probe.mjs', import.meta.url))
  const module = new URL('../dist/arrow/wasm-tiering.js', import.meta.url).href
  const run = spawnSync(process.execPath, [...flags, script, module], { encoding: 'utf8', timeout: 60_000 })
  if (run.status !== 0) throw new Error(`validation probe failed (exit ${run.status}): ${run.stderr}`)
  return JSON.parse(run.stdout) as { before: boolean; inside: boolean; after: boolean }
}

describe('parquet-wasm is validated lazily', () => {
  it('compiles a module without validating it up front only inside withLazyValidation', () => {
    expect(probe([])).toEqual({ before: false, inside: true, after: false })
  })

  it('leaves the validation alone when the process sets its own flag', () => {
    expect(probe(['--no-wasm-lazy-validation'])).toEqual({ before: false, inside: false, after: false })
    expect(probe(['--wasm-lazy-validation'])).toEqual({ before: true, inside: true, after: true })
  })
})
