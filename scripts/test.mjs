#!/usr/bin/env node
// `npm test`: build every package with turbo, type-check the tests (tsconfig.tests.json: test/ and packages/*/test,
// against the built packages), check the architecture rules (.dependency-cruiser.cjs: an `error` fails the run),
// then run vitest (extra arguments are passed to vitest).
// S3 tests need a server: an AWS_ENDPOINT_URL already set is used as is; otherwise, when Ceph is installed,
// a private Ceph RGW is started on free ports for this run and always stopped; otherwise S3 tests are skipped.
// vitest runs with a private TMPDIR: anything the tests leave in it is listed and fails the run.
import { spawn } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { REPO_ROOT, CEPH_INSTALL_HINT, hasCeph, startCephRgw, stopCephRgw } from './s3-env.mjs'
import { createPrivateTmp, finishPrivateTmp, tmpEnv } from './tmp-guard.mjs'

const SIGNALS = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1 }
const vitestArgs = process.argv.slice(2)
let child // the command running now, to forward signals to
let cephStateDir // set while our Ceph RGW may be running
let interrupted // the signal that stopped us, if any

function run(command, args, env) {
  return new Promise((resolveRun) => {
    // Its own process group, so a signal reaches vitest's workers too (SIGTERM to vitest alone orphans them).
    child = spawn(command, args, { cwd: REPO_ROOT, env, stdio: 'inherit', detached: true })
    const group = child.pid
    child.on('error', (err) => {
      console.error(`[test] cannot run ${command}: ${err.message}`)
      resolveRun(127)
    })
    child.on('close', (code, signal) => {
      child = undefined
      if (interrupted && group !== undefined) killGroup(group, 'SIGKILL') // stragglers
      resolveRun(code ?? 128 + (SIGNALS[signal] ?? 1))
    })
  })
}

function killGroup(pid, signal) {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}

function stopCeph() {
  if (cephStateDir === undefined) return
  const dir = cephStateDir
  cephStateDir = undefined
  stopCephRgw(dir)
}

/** A workspace binary, run directly (not through npx, which exits on a signal and orphans its child). */
function bin(name) {
  const path = join(REPO_ROOT, 'node_modules', '.bin', name)
  return existsSync(path) ? path : name
}

/**
 * Tests that compare the speed of two runs in one process (`*.timing.test.ts`) run on their own
 * after the rest, so the other test files' CPU load does not skew the ratio they assert.
 */
const TIMING_TESTS = '**/*.timing.test.ts'

async function vitest(env) {
  if (vitestArgs.length > 0) return run(bin('vitest'), ['run', ...vitestArgs], env)
  const main = await run(bin('vitest'), ['run', '--exclude', TIMING_TESTS], env)
  if (interrupted) return main
  console.error('[test] timing tests, alone on the machine:')
  const timing = await run(bin('vitest'), ['run', '.timing.test.ts'], env)
  return main !== 0 ? main : timing
}

/** Runs vitest with TMPDIR set to a fresh directory; anything the tests leave in it fails the run. */
async function testWithPrivateTmp(env) {
  const tmp = createPrivateTmp()
  let code = 1
  try {
    code = await vitest({ ...env, ...tmpEnv(tmp) })
  } finally {
    const left = finishPrivateTmp(tmp)
    if (left.length > 0 && code === 0 && !interrupted) code = 1
  }
  return code
}

/** dependency-cruiser over every package's src/ (no shell, so no glob); exits non-zero on an `error` rule. */
function checkArchitecture(env) {
  const sources = readdirSync(join(REPO_ROOT, 'packages')).map((name) => `packages/${name}/src`)
  return run(bin('depcruise'), ['--output-type', 'err', '--cache', 'node_modules/.cache/depcruise', ...sources], env)
}

/** tsc over every test file (vitest strips types without checking them). */
function typecheckTests(env) {
  return run(bin('tsc'), ['-p', 'tsconfig.tests.json'], env)
}

async function buildAndTest(env) {
  const built = await run(bin('turbo'), ['run', 'build', '--output-logs=errors-only'], env)
  if (built !== 0 || interrupted) return built
  const typed = await typecheckTests(env)
  if (typed !== 0 || interrupted) return typed
  const checked = await checkArchitecture(env)
  if (checked !== 0 || interrupted) return checked
  return testWithPrivateTmp(env)
}

function s3Mode(env) {
  if (env.AWS_ENDPOINT_URL || env.LAKE_S3_ENDPOINT) return 'given'
  if (env.LAKE_TEST_S3 === 'off') return 'off'
  return hasCeph(env) ? 'ceph' : 'missing'
}

async function main() {
  // The SDK warns on every test worker that releases after January 2027 need Node 22; the pin covers us.
  const env = { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...process.env }
  const mode = s3Mode(env)
  if (mode === 'given') {
    console.error(`[test] S3 tests run against ${env.AWS_ENDPOINT_URL || env.LAKE_S3_ENDPOINT}`)
    return buildAndTest(env)
  }
  if (mode !== 'ceph') {
    const why = mode === 'off' ? 'LAKE_TEST_S3=off' : 'no AWS_ENDPOINT_URL and Ceph is not installed'
    console.error(
      `[test] WARNING: S3 integration tests are SKIPPED (${why}). To run them, install Ceph ` +
        `(${CEPH_INSTALL_HINT}) or point at any S3 server: ` +
        'AWS_ENDPOINT_URL=http://127.0.0.1:9000 AWS_ACCESS_KEY_ID=... AWS_SECRET_ACCESS_KEY=... npm test',
    )
    return buildAndTest(env)
  }
  cephStateDir = `/tmp/lake-test-ceph-${process.pid}`
  let s3Vars
  try {
    s3Vars = await startCephRgw(cephStateDir, env)
  } catch (err) {
    console.error(`[test] could not start Ceph RGW for the S3 tests (set LAKE_TEST_S3=off to skip them):\n${err.message}`)
    return 1
  }
  if (interrupted) return 128 + SIGNALS[interrupted]
  return buildAndTest({ ...env, ...s3Vars })
}

for (const signal of Object.keys(SIGNALS)) {
  process.on(signal, () => {
    interrupted = signal
    if (child?.pid !== undefined) killGroup(child.pid, signal) // its exit ends main(), which then stops Ceph
    else if (cephStateDir === undefined) process.exit(128 + SIGNALS[signal])
  })
}
process.on('exit', stopCeph) // last resort (e.g. an exception); stopCephRgw is synchronous

const code = await main().finally(stopCeph)
process.exit(interrupted ? 128 + SIGNALS[interrupted] : code)
