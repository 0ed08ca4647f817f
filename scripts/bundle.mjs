// Bundles a package's built ES modules (dist/, from tsc) into a few files with esbuild, run by the
// package's `build` script after `tsc -b`: `node ../../scripts/bundle.mjs cli|ingest-worker`.
// Why: Node resolves, reads, compiles and links every ES module on its own; `lake ingest` loaded ~470
// modules on its main thread and ~370 in each encoder worker before doing any work (bench/startup.bench.mjs).
// One file (or a few chunks) starts several times faster. The unbundled dist/ stays as it was: the
// packages' exports, types and tests use it; the bundles are what `lake` and the ingest worker pool start.
//   cli            packages/cli/dist/bin.js -> packages/cli/dist/bundle/lake.js, with chunks for the
//                  code it imports on demand (Arrow, parquet-wasm glue, S3, UI, ingest), and
//                  inputs.json: which source files each output file holds (test/cli/startup.test.ts).
//   ingest-worker  packages/ingest/dist/encode/encode-worker.js -> encode-worker.bundle.js, one file.
// Not bundled: piscina (its worker script is a file of its own), the modules that load files beside
// themselves (parquet-wasm's .wasm, zstd-napi's native addon) and the AWS SDK (loaded for s3:// URIs
// only); they are imported from node_modules at run time. A bundled module that names itself with
// `import.meta.url` (to require those, start a worker file or read assets beside it) still gets its own
// file's URL, written relative to the output directory so the packages can move together.
// `tsc -b` alone does not update the bundles: build with `npm run build`.
import { build } from 'esbuild'
import { readFile, rm, writeFile } from 'node:fs/promises'
import { relative, resolve, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const EXTERNAL = ['piscina', 'parquet-wasm', 'zstd-napi', '@aws-sdk/*', '@smithy/*']
// CommonJS dependencies inside an ES module bundle call require(): give them Node's.
const REQUIRE = "import { createRequire as __lakeCreateRequire } from 'node:module'; const require = __lakeCreateRequire(import.meta.url);"

const TARGETS = {
  cli: { entry: 'packages/cli/dist/bin.js', outdir: 'packages/cli/dist/bundle', name: 'lake', splitting: true },
  'ingest-worker': { entry: 'packages/ingest/dist/encode/encode-worker.js', outdir: 'packages/ingest/dist/encode', name: 'encode-worker.bundle', splitting: false },
}

/** Replaces `import.meta.url` in every bundled module by the URL of that module's own file. */
function ownUrl(outdir) {
  return {
    name: 'own-import-meta-url',
    setup(b) {
      b.onLoad({ filter: /\.js$/ }, async ({ path }) => {
        const source = await readFile(path, 'utf8')
        if (!source.includes('import.meta.url')) return undefined
        const rel = relative(outdir, path).split(sep).join('/')
        return { contents: source.replaceAll('import.meta.url', `new URL(${JSON.stringify(rel)}, import.meta.url).href`), loader: 'js' }
      })
    },
  }
}

/** Which input files (paths from the repository root) each output file of the bundle holds. */
function inputsOf(metafile) {
  const byOutput = {}
  for (const [output, { inputs }] of Object.entries(metafile.outputs)) {
    const name = output.split('/').at(-1)
    byOutput[name] = Object.keys(inputs).map((input) => relative(root, resolve(root, input)).split(sep).join('/'))
  }
  return byOutput
}

async function bundle(name) {
  const target = TARGETS[name]
  if (target === undefined) throw new Error(`bundle: expected one of ${Object.keys(TARGETS).join(', ')}, found '${name}'`)
  const outdir = resolve(root, target.outdir)
  if (target.splitting) await rm(outdir, { recursive: true, force: true })
  const result = await build({
    absWorkingDir: root,
    entryPoints: { [target.name]: target.entry },
    outdir,
    bundle: true,
    splitting: target.splitting,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: REQUIRE },
    plugins: [ownUrl(outdir)],
    legalComments: 'none',
    logLevel: 'warning',
    metafile: target.splitting,
  })
  if (target.splitting) await writeFile(resolve(outdir, 'inputs.json'), `${JSON.stringify(inputsOf(result.metafile), null, 1)}\n`)
}

await bundle(process.argv[2])
