// Run with `node validation-probe.mjs WASM_TIERING_MODULE` (wasm-validation.test.ts): compiles three
// modules whose one function is invalid (it ends without the i32 its type returns; each a little
// different, as V8 reuses a module compiled from the same bytes): before, inside and after
// `withLazyValidation`, and prints which compiled (lazily validated) and which were refused.
const { withLazyValidation } = await import(process.argv[2])

/** A module of one function `() -> i32` whose body is `nops` nops and `end`: invalid. */
function invalid(nops) {
  const body = [0, ...new Array(nops).fill(1), 0x0b]
  return new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 5, 1, 0x60, 0, 1, 0x7f, 3, 2, 1, 0, 0x0a, body.length + 2, 1, body.length, ...body])
}

function compiles(bytes) {
  try {
    new WebAssembly.Module(bytes)
    return true
  } catch {
    return false
  }
}

const before = compiles(invalid(0))
const inside = withLazyValidation(() => compiles(invalid(1)))
const after = compiles(invalid(2))
console.log(JSON.stringify({ before, inside, after }))
