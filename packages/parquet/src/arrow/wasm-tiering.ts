// How parquet-wasm is loaded: with a late tier-up on the main thread and lazy validation (below).
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

/** The process's own flags: its command line's and NODE_OPTIONS. */
function processFlags(): string {
  return [...process.execArgv, process.env['NODE_OPTIONS'] ?? ''].join(' ')
}

/** True when the process's own flags set wasm tiering: then nothing is changed. */
function userSetsTiering(): boolean {
  return /wasm[-_](tiering|dynamic|tier[-_]up)|liftoff/.test(processFlags())
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

/** True when the process's own flags set wasm validation: then it is left alone. */
function userSetsValidation(): boolean {
  return /wasm[-_]lazy[-_]validation/.test(processFlags())
}

/**
 * Runs `load` (which compiles a wasm module synchronously) with V8's lazy validation: each function of
 * the module is validated when it is first compiled (V8 compiles wasm functions lazily, on their first
 * call) instead of all 5 MB of parquet-wasm up front. A load took 84-113 ms instead of 106-174 ms
 * (4 alternating pairs, bench/RESULTS.md); a write calls a small part of the module. For parquet-wasm
 * only (a dependency from node_modules, not untrusted input): the flag is put back at once, so other
 * wasm in the process is validated whole. Left alone when the process sets the flag itself.
 */
export function withLazyValidation<T>(load: () => T): T {
  if (userSetsValidation()) return load()
  setFlagsFromString('--wasm-lazy-validation')
  try {
    return load()
  } finally {
    setFlagsFromString('--no-wasm-lazy-validation')
  }
}
