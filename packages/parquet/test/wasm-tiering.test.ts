// parquet-wasm is instantiated with a late wasm tier-up on the main thread (src/arrow/wasm-tiering.ts): a
// module loaded inside `withLateTierUp` keeps running Liftoff code where one loaded after it (V8's
// default budget restored) is re-compiled by TurboFan, unless the process was started with its own
// tiering flags; on a worker thread (the encoder pools' large writes) it tiers up as usual.
// Observed with V8's natives syntax in a child process (workers/tiering-probe.mjs, against dist/).

import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

interface Probe {
  readonly calls: number
  readonly plainLiftoff: boolean
  readonly lateLiftoff: boolean
}

function probe(flags: readonly string[], thread: 'main' | 'worker' = 'main'): Probe {
  const script = fileURLToPath(new URL('./workers/tiering-probe.mjs', import.meta.url))
  const module = new URL('../dist/arrow/wasm-tiering.js', import.meta.url).href
  const run = spawnSync(process.execPath, ['--allow-natives-syntax', ...flags, script, module, ...(thread === 'worker' ? ['worker'] : [])], { encoding: 'utf8', timeout: 60_000 })
  if (run.status !== 0) throw new Error(`tiering probe failed (exit ${run.status}): ${run.stderr}`)
  return JSON.parse(run.stdout) as Probe
}

describe('parquet-wasm tiers up late', () => {
  it('keeps a module loaded by withLateTierUp on Liftoff code while one loaded after it tiers up', () => {
    expect(probe([])).toMatchObject({ plainLiftoff: false, lateLiftoff: true })
  })

  it('leaves the tiering alone on a worker thread', () => {
    expect(probe([], 'worker')).toMatchObject({ plainLiftoff: false, lateLiftoff: false })
  })

  it('leaves the tiering alone when the process sets its own wasm tiering flags', () => {
    expect(probe(['--wasm-tiering-budget=1800000'])).toMatchObject({ plainLiftoff: false, lateLiftoff: false })
  })
})
