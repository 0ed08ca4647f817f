// Bundles the encoder worker (dist/encode/encode-worker.js, built by tsc) with everything it imports
// into dist/encode/encode-worker.bundle.js, which WorkerPoolEncoder starts instead when it exists. A
// worker importing one file starts about 4x faster than one resolving, reading and linking its ~370
// ES modules (bench/startup.bench.mjs), and `lake ingest` waits for its workers' start.
// Not bundled: piscina (its worker runtime must share the module the worker imports) and the modules
// that load files beside themselves (parquet-wasm's .wasm, zstd-napi's native addon): both are
// required at run time from node_modules, as from the unbundled worker. A bundled module that names
// itself with `import.meta.url` (to require those, or to start a worker file beside it) still gets its
// own file's URL, written relative to the bundle so the package can move.
// Run by the package's build (`npm run build`); `tsc -b` alone leaves the bundle as it was.
import { build } from 'esbuild'
import { readFile } from 'node:fs/promises'
import { dirname, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const dist = fileURLToPath(new URL('../dist/encode/', import.meta.url))

/** Replaces `import.meta.url` in every bundled module by the URL of that module's own file. */
const ownUrl = {
  name: 'own-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8')
      if (!source.includes('import.meta.url')) return undefined
      const rel = relative(dirname(`${dist}encode-worker.bundle.js`), path).split(sep).join('/')
      return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' }
    })
  },
}

await build({
  entryPoints: [`${dist}encode-worker.js`],
  outfile: `${dist}encode-worker.bundle.js`,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  external: ['piscina', 'parquet-wasm', 'zstd-napi'],
  // CommonJS dependencies inside an ES module bundle call require(): give them Node's.
  banner: { js: "import { createRequire as __lakeCreateRequire } from 'node:module'; const require = __lakeCreateRequire(import.meta.url);" },
  plugins: [ownUrl],
  legalComments: 'none',
  logLevel: 'warning',
})
