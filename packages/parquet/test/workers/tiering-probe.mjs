// Run with `node --allow-natives-syntax tiering-probe.mjs WASM_TIERING_MODULE [worker]` (wasm-tiering.test.ts;
// with `worker`, the probe runs in a worker thread):
// instantiates two one-function wasm modules (a counting loop), A inside `withLateTierUp`, B after it,
// runs B until V8 has re-compiled its function with TurboFan (at most 20 s), then A 300 times (about
// 200x V8's default budget, a fifth of the late one), waits a second for background compiles, and prints
// whether each is still Liftoff code.
import { Worker, isMainThread } from 'node:worker_threads'

if (isMainThread && process.argv[3] === 'worker') {
  new Worker(new URL(import.meta.url), { argv: [process.argv[2]] })
} else {
  await probe()
}

async function probe() {
  const { withLateTierUp } = await import(process.argv[2])

  /** (func (export "f") (param i32) (result i32)): counts a local up to the parameter by `step`. */
  function counter(step) {
    const body = [1, 1, 0x7f, 0x03, 0x40, 0x20, 1, 0x41, step, 0x6a, 0x22, 1, 0x20, 0, 0x48, 0x0d, 0, 0x0b, 0x20, 1, 0x0b]
    const bytes = [0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 6, 1, 0x60, 1, 0x7f, 1, 0x7f, 3, 2, 1, 0, 7, 5, 1, 1, 0x66, 0, 0, 0x0a, body.length + 2, 1, body.length, ...body]
    return new WebAssembly.Instance(new WebAssembly.Module(new Uint8Array(bytes))).exports.f
  }

  const late = withLateTierUp(() => counter(1))
  const plain = counter(2)
  plain(10)
  late(10)
  const deadline = Date.now() + 20_000
  let calls = 0
  while (%IsLiftoffFunction(plain) && Date.now() < deadline) {
    plain(100_000)
    calls++
  }
  for (let i = 0; i < 300; i++) late(100_000)
  await new Promise((resolve) => setTimeout(resolve, 1000))
  console.log(JSON.stringify({ calls, plainLiftoff: %IsLiftoffFunction(plain), lateLiftoff: %IsLiftoffFunction(late) }))
}
