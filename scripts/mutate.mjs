#!/usr/bin/env node
// `npm run mutate -- <source file>...`: StrykerJS over the given files of one package, in one run, with
// every test of that package (per-test coverage; mutants the type checker rejects are excluded).
// `npm run mutate` runs the critical list below, one Stryker run per group: the files of a group share
// one dry run and one type-checker start, and run against the group's dedicated tests only (selected by
// scripts/vitest.mutate.config.mjs), so that a mutant every test reaches (a "static" one, e.g. a constant
// table) does not rerun a whole package suite.
// `--group <name>` runs one group of the list. Reports: reports/mutation/<run>.{json,html}; the scores
// per file and the run times are printed as a table at the end (exit 1 when a file is under 90%).
// `--incremental` reuses the previous run's results for unchanged code and tests.
import { mkdirSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { Stryker } from '@stryker-mutator/core'
import base from '../stryker.config.mjs'
import { REPO_ROOT, hasCeph, startCephRgw, stopCephRgw } from './s3-env.mjs'

/** The safety-critical modules (mutation score at least 90%), grouped by package, with their tests. */
export const CRITICAL = [
  {
    name: 'core-skipping',
    files: ['packages/core/src/expr/skipping.ts'],
    tests: ['packages/core/test/expr-skipping*.test.ts'],
  },
  {
    name: 'core-pure',
    files: [
      'packages/core/src/replay/log-replay.ts',
      'packages/core/src/schema/schema-evolution.ts',
      'packages/core/src/checkpoint/plan-checkpoint.ts',
    ],
    tests: [
      'packages/core/test/replay*.test.ts',
      'packages/core/test/write-schema-evolution*.test.ts',
      'packages/core/test/checkpoint*.test.ts',
    ],
  },
  {
    name: 'core-partition',
    files: ['packages/core/src/partition/parse-value.ts', 'packages/core/src/partition/serialize-value.ts'],
    tests: ['packages/core/test/partition*.test.ts'],
  },
  {
    name: 'parquet-negative-zero',
    files: ['packages/parquet/src/negative-zero.ts', 'packages/parquet/src/type-walk.ts'],
    tests: ['packages/parquet/test/negative-zero.test.ts'],
  },
  {
    name: 'parquet-plain-writer',
    files: [
      'packages/parquet/src/plain-writer/chunk-stats.ts',
      'packages/parquet/src/plain-writer/page-body.ts',
      'packages/parquet/src/plain-writer/page-index.ts',
      'packages/parquet/src/plain-writer/plain-column.ts',
      'packages/parquet/src/plain-writer/write-plain.ts',
    ],
    tests: ['packages/parquet/test/plain-writer.test.ts', 'packages/parquet/test/plain-writer-stats.test.ts'],
  },
  {
    name: 'parquet-arrow-stats',
    files: [
      'packages/parquet/src/arrow/arrow-stats.ts',
      'packages/parquet/src/arrow/non-null.ts',
      'packages/parquet/src/arrow/encode-arrow-batch.ts',
      'packages/parquet/src/int64-words.ts',
    ],
    tests: ['packages/parquet/test/arrow*.test.ts', 'packages/parquet/test/plain-writer-stats.test.ts', 'packages/parquet/test/stats.test.ts'],
  },
  {
    name: 'parquet-safe-longs',
    files: ['packages/parquet/src/safe-longs.ts', 'packages/parquet/src/int64-words.ts'],
    tests: ['packages/parquet/test/safe-longs.test.ts', 'packages/parquet/test/take-columns.test.ts', 'packages/parquet/test/arrow-stats.test.ts'],
  },
  {
    name: 'storage-local-store',
    files: ['packages/storage/src/local-store.ts'],
    tests: ['packages/storage/test/local-store*.test.ts', 'packages/storage/test/local-stale-temp.test.ts'],
  },
  {
    name: 'core-commit',
    files: ['packages/core/src/commit/commit-loop.ts', 'packages/core/src/operations/write/replace-where.ts'],
    tests: ['packages/core/test/commit/*.test.ts', 'packages/core/test/transaction-*.test.ts', 'packages/core/test/table/replace-where*.test.ts'],
  },
  {
    name: 'storage-s3',
    files: ['packages/storage-s3/src/to-storage-error.ts', 'packages/storage-s3/src/put-if-absent.ts'],
    tests: ['packages/storage-s3/test/to-storage-error*.test.ts', 'packages/storage-s3/test/put-if-absent*.test.ts'],
  },
  {
    name: 'ingest-job',
    files: ['packages/ingest/src/job/committed-range.ts', 'packages/ingest/src/job/plan-batch.ts'],
    tests: ['packages/ingest/test/job-*.test.ts', 'packages/ingest/test/ingest-job*.test.ts'],
  },
  {
    name: 'core-dv',
    files: [
      'packages/core/src/dv/row-index-buckets.ts',
      'packages/core/src/dv/roaring-encode.ts',
      'packages/core/src/dv/dv-file.ts',
      'packages/core/src/dv/new-descriptor.ts',
      'packages/core/src/files/write-deletion-vectors.ts',
    ],
    tests: ['packages/core/test/dv-encode.test.ts', 'packages/core/test/dv-write.test.ts', 'packages/core/test/dv.test.ts'],
  },
  {
    name: 'core-conflicts',
    files: ['packages/core/src/transaction/conflicts.ts', 'packages/core/src/rewrite/cdc-plan.ts'],
    tests: ['packages/core/test/transaction-conflicts*.test.ts', 'packages/core/test/changes/units.test.ts'],
  },
  {
    name: 'core-dml',
    files: ['packages/core/src/operations/run.ts', 'packages/core/src/operations/changes/plan.ts', 'packages/core/src/operations/changes/range.ts'],
    tests: [
      'packages/core/test/dml/replan*.test.ts',
      'packages/core/test/changes/units.test.ts',
      'packages/core/test/changes/range.test.ts',
      'packages/core/test/changes/changes.test.ts',
    ],
  },
  {
    name: 'core-merge-plan',
    files: [
      'packages/core/src/operations/merge/plan.ts',
      'packages/core/src/operations/merge/plan-clauses.ts',
      'packages/core/src/operations/merge/plan-assignments.ts',
      'packages/core/src/operations/merge/plan-expressions.ts',
    ],
    tests: ['packages/core/test/dml/merge-plan.test.ts'],
  },
  {
    name: 'core-merge-columnar',
    files: [
      'packages/core/src/operations/merge/columnar-hash.ts',
      'packages/core/src/operations/merge/columnar-pass.ts',
      'packages/core/src/operations/merge/number-table.ts',
      'packages/core/src/operations/merge/columnar-copy-on-write.ts',
      'packages/core/src/operations/merge/columnar-writer.ts',
      'packages/core/src/operations/merge/columnar-keys.ts',
    ],
    tests: ['packages/core/test/dml/merge-columnar*.test.ts', 'packages/core/test/dml/merge-reads.test.ts'],
  },
  {
    name: 'core-merge-pruning',
    files: ['packages/core/src/operations/merge/target-pruning.ts'],
    tests: ['packages/core/test/dml/merge-units.test.ts', 'packages/core/test/dml/merge-columnar.test.ts', 'packages/core/test/dml/merge-pruning.test.ts'],
  },
  {
    name: 'core-merge-source',
    files: ['packages/core/src/operations/merge/source-shape.ts', 'packages/core/src/operations/merge/source-transpose.ts'],
    tests: ['packages/core/test/dml/merge-source-shape.test.ts', 'packages/core/test/dml/merge-columnar-handover.test.ts'],
  },
  {
    name: 'core-copy-on-write',
    files: ['packages/core/src/rewrite/kept-columns.ts', 'packages/core/src/rewrite/changed-rows.ts'],
    tests: ['packages/core/test/dml/*copy-on-write*.test.ts'],
  },
]

function packageOf(file) {
  const match = /^packages\/([^/]+)\/src\/.+\.ts$/.exec(file)
  if (match === null) throw new Error(`expected a source file packages/<package>/src/....ts, found '${file}'`)
  return match[1]
}

/** The run groups the command line asks for. */
function groupsFromArgs(args) {
  const at = args.indexOf('--group')
  if (at >= 0) {
    const group = CRITICAL.find((g) => g.name === args[at + 1])
    if (group === undefined) throw new Error(`expected --group ${CRITICAL.map((g) => g.name).join('|')}, found '${args[at + 1]}'`)
    return [group]
  }
  const files = args.filter((arg) => !arg.startsWith('--')).map((file) => relative(REPO_ROOT, resolve(file)))
  if (files.length === 0) return CRITICAL
  const pkg = packageOf(files[0])
  if (files.some((file) => packageOf(file) !== pkg)) throw new Error('expected files of one package per run')
  const name = `${pkg}-${files.length === 1 ? files[0].split('/').pop().slice(0, -3) : 'files'}`
  return [{ name, files, tests: [`packages/${pkg}/test/**/*.test.ts`] }]
}

/** Stryker options for one group: its package's vitest config and tsconfig, its own report names. */
function optionsFor(group, incremental) {
  const pkg = `packages/${packageOf(group.files[0])}`
  const out = join('reports', 'mutation')
  mkdirSync(join(REPO_ROOT, out), { recursive: true })
  return {
    ...base,
    mutate: group.files,
    vitest: { configFile: 'scripts/vitest.mutate.config.mjs', related: false },
    tsconfigFile: `${pkg}/tsconfig.json`,
    jsonReporter: { fileName: join(out, `${group.name}.json`) },
    htmlReporter: { fileName: join(out, `${group.name}.html`) },
    incremental,
    incrementalFile: join(out, `${group.name}.incremental.json`),
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
 * RGW (as `npm test` starts it) for the duration; without either the S3 tests skip.
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
const args = process.argv.slice(2)
const rows = []
for (const group of groupsFromArgs(args)) {
  const started = Date.now()
  process.env.LAKE_MUTATE_TESTS = JSON.stringify(group.tests) // read by scripts/vitest.mutate.config.mjs
  const mutate = () => new Stryker(optionsFor(group, args.includes('--incremental'))).runMutationTest()
  const results = await (group.files[0].startsWith('packages/storage-s3/') ? withS3(mutate) : mutate())
  const seconds = Math.round((Date.now() - started) / 1000)
  for (const file of group.files) {
    const mine = results.filter((m) => relative(REPO_ROOT, resolve(m.fileName)) === file)
    rows.push({ file, run: group.name, ...scoreOf(mine), seconds })
  }
}
console.log('\nfile | score | killed | survived | no coverage | run | run seconds')
for (const r of rows) {
  console.log(`${r.file} | ${r.score.toFixed(1)}% | ${r.killed} | ${r.survived} | ${r.noCoverage} | ${r.run} | ${r.seconds}`)
}
if (rows.some((r) => !(r.score >= 90))) process.exitCode = 1
