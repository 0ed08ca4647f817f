#!/usr/bin/env node
// `npm run mutate -- <source file>...`: StrykerJS over each file, one run per file, with the tests of the
// file's package (per-test coverage, mutants rejected by the type checker excluded). Without arguments it
// runs the critical list below. A file of the list runs against its dedicated tests; any other file against
// every test of its package. Reports go to reports/mutation/<package>-<file>.{json,html}; the scores
// are printed as a table at the end. Pass --incremental to reuse the previous run's results for unchanged
// code and tests (reports/mutation/<name>.incremental.json).
import { mkdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { Stryker } from '@stryker-mutator/core'
import base from '../stryker.config.mjs'
import { REPO_ROOT, hasCeph, startCephRgw, stopCephRgw } from './s3-env.mjs'

/**
 * The safety-critical modules (their mutation score must stay at or above 90%), each with the test files
 * that run against its mutants: its dedicated tests, so that a mutant every test reaches (a "static"
 * one, e.g. a constant table) does not rerun the whole package suite.
 */
export const CRITICAL = {
  'packages/core/src/transaction/conflicts.ts': ['packages/core/test/transaction-conflicts*.test.ts'],
  'packages/core/src/expr/skipping.ts': ['packages/core/test/expr-skipping*.test.ts'],
  'packages/core/src/replay/log-replay.ts': ['packages/core/test/replay*.test.ts'],
  'packages/core/src/write/schema-evolution.ts': ['packages/core/test/write-schema-evolution*.test.ts'],
  'packages/storage/src/local-store.ts': ['packages/storage/test/local-store*.test.ts'],
  'packages/core/src/commit/commit-loop.ts': ['packages/core/test/commit/*.test.ts', 'packages/core/test/transaction-*.test.ts'],
  'packages/core/src/checkpoint/plan-checkpoint.ts': ['packages/core/test/checkpoint*.test.ts', 'packages/core/test/table/checkpoint-write.test.ts'],
  'packages/core/src/table/replace-where.ts': ['packages/core/test/table/replace-where*.test.ts'],
  'packages/core/src/partition/parse-value.ts': ['packages/core/test/partition*.test.ts'],
  'packages/core/src/partition/serialize-value.ts': ['packages/core/test/partition*.test.ts'],
  'packages/storage-s3/src/to-storage-error.ts': ['packages/storage-s3/test/to-storage-error*.test.ts'],
  'packages/storage-s3/src/put-if-absent.ts': ['packages/storage-s3/test/put-if-absent*.test.ts', 'packages/storage-s3/test/s3-store.int.test.ts'],
  'packages/ingest/src/job/committed-range.ts': ['packages/ingest/test/ingest-job*.test.ts', 'packages/ingest/test/job-*.test.ts'],
  'packages/ingest/src/job/plan-batch.ts': ['packages/ingest/test/ingest-job*.test.ts', 'packages/ingest/test/job-*.test.ts'],
}

const args = process.argv.slice(2)
const incremental = args.includes('--incremental')
const inputs = args.filter((arg) => arg !== '--incremental')
const files = (inputs.length > 0 ? inputs : Object.keys(CRITICAL)).map((file) => relative(REPO_ROOT, resolve(file)))

/** Stryker options for one source file: its package's tests and tsconfig, its own report names. */
function optionsFor(file) {
  const match = /^packages\/([^/]+)\/src\/.+\.ts$/.exec(file)
  if (match === null) throw new Error(`expected a source file packages/<package>/src/....ts, found '${file}'`)
  const pkg = `packages/${match[1]}`
  const name = `${match[1]}-${file.slice(pkg.length + 5, -3).replaceAll('/', '-')}`
  const out = join('reports', 'mutation')
  mkdirSync(join(REPO_ROOT, out), { recursive: true })
  return {
    ...base,
    mutate: [file],
    testFiles: CRITICAL[file] ?? [`${pkg}/test/**/*.test.ts`],
    vitest: { configFile: `${pkg}/vitest.config.ts`, dir: pkg, related: false },
    tsconfigFile: `${pkg}/tsconfig.json`,
    jsonReporter: { fileName: join(out, `${name}.json`) },
    htmlReporter: { fileName: join(out, `${name}.html`) },
    incremental,
    incrementalFile: join(out, `${name}.incremental.json`),
  }
}

/** Stryker's mutation score: detected / (detected + undetected); type-rejected and ignored mutants excluded. */
function scoreOf(mutants) {
  const count = (...statuses) => mutants.filter((m) => statuses.includes(m.status)).length
  const killed = count('Killed', 'Timeout')
  const survived = count('Survived')
  const noCoverage = count('NoCoverage')
  const total = killed + survived + noCoverage
  return { score: total === 0 ? 100 : (100 * killed) / total, killed, survived, noCoverage }
}

/**
 * Runs `fn` with an S3 server for the S3 store's tests: AWS_ENDPOINT_URL as given, else a private Ceph
 * RGW (as `npm test` starts it) for the duration; without either the S3 tests skip and say so.
 */
async function withS3(fn) {
  if (process.env.AWS_ENDPOINT_URL || !hasCeph()) return fn()
  const stateDir = `/tmp/lake-mutate-ceph-${process.pid}`
  Object.assign(process.env, await startCephRgw(stateDir))
  try {
    return await fn()
  } finally {
    stopCephRgw(stateDir)
  }
}

process.chdir(REPO_ROOT)
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
const rows = []
for (const file of files) {
  const started = Date.now()
  const mutate = () => new Stryker(optionsFor(file)).runMutationTest()
  const results = await (file.startsWith('packages/storage-s3/') ? withS3(mutate) : mutate())
  const seconds = Math.round((Date.now() - started) / 1000)
  rows.push({ file, ...scoreOf(results), seconds })
}
console.log('\nfile | score | killed | survived | no coverage | seconds')
for (const r of rows) console.log(`${r.file} | ${r.score.toFixed(2)}% | ${r.killed} | ${r.survived} | ${r.noCoverage} | ${r.seconds}`)
if (rows.some((r) => !(r.score >= 90))) process.exitCode = 1
