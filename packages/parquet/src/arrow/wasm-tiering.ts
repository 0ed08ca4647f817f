// V8 compiles a wasm module with its baseline compiler (Liftoff) and re-compiles each function that
// runs hot with its optimizing compiler (TurboFan), on background threads. For parquet-wasm on the main
// thread that tier-up is much of a fresh process's first write: a 100,000-row MERGE output (zstd) took
// 0.25-0.46 s CPU and ~10,000 page faults for its first encode with tier-up, 0.12-0.19 s and ~3,300
// without, and the fresh-process MERGE 0.42-0.47 s instead of 0.51-0.53 s (bench/RESULTS.md, "MERGE in a
// fresh process"). So on the main thread parquet-wasm is instantiated with a tiering budget 1,000x
// V8's default: its functions tier up only after running about that much longer. Not on worker threads:
// they encode the large writes (a 1M-row writeDelta's 500,000-row files), where TurboFan's code pays
// (1.04-1.11 s with tier-up, 1.31-1.50 s without). V8 reads the budget when it instantiates a module,
// so the flag is set around the load only and put back at once: other wasm in the process keeps V8's
// default. Left alone when the process was started with its own wasm tiering flags.

import { setFlagsFromString } from 'node:v8'
import { isMainThread } from 'node:worker_threads'

/** V8's `--wasm-tiering-budget` default (V8 10.x-12.x: Node 18-22). */
const V8_DEFAULT_BUDGET = 1_800_000

/** The budget parquet-wasm is instantiated with. */
const PARQUET_WASM_BUDGET = V8_DEFAULT_BUDGET * 1000

/** True when the process's own flags (command line or NODE_OPTIONS) set wasm tiering: then nothing is changed. */
function userSetsTiering(): boolean {
  const flags = [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].join(' ')
  return /wasm[-_](tiering|dynamic|tier[-_]up)|liftoff/.test(flags)
}

/** Runs `load` (which compiles and instantiates a wasm module synchronously) with the late tiering budget, on the main thread. */
export function withLateTierUp<T>(load: () => T): T {
  if (!isMainThread || userSetsTiering()) return load()
  setFlagsFromString(`--wasm-tiering-budget=${PARQUET_WASM_BUDGET}`)
  try {
    return load()
  } finally {
    setFlagsFromString(`--wasm-tiering-budget=${V8_DEFAULT_BUDGET}`)
  }
}
