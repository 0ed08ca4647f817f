#!/usr/bin/env node
// Start and stop a private single-node Ceph RADOS Gateway (S3 on 127.0.0.1) for the tests, on free ports,
// through scripts/ceph/start-ceph-rgw.sh. Library for scripts/test.mjs, and a CLI for .ci/run:
//   node scripts/s3-env.mjs start <state-dir>   # writes <state-dir>/env (export AWS_ENDPOINT_URL=... lines)
//   node scripts/s3-env.mjs stop <state-dir>    # stops the daemons by their pid files, deletes the state
import { spawn, spawnSync } from 'node:child_process'
import { accessSync, constants, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { delimiter, dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The repository root (this file lives in <root>/scripts). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Debian 12 packages that provide the server. */
export const CEPH_INSTALL_HINT =
  'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd'

const START_ATTEMPTS = 2 // a free port can be taken between probing it and Ceph binding it

/** The directory of the Ceph start and stop scripts. */
export const CEPH_SCRIPTS = join(REPO_ROOT, 'scripts', 'ceph')

/** True when `name` is an executable on PATH. */
export function onPath(name, env = process.env) {
  return (env.PATH ?? '').split(delimiter).some((dir) => {
    try {
      accessSync(join(dir, name), constants.X_OK)
      return true
    } catch {
      return false
    }
  })
}

/** True when the Ceph daemons the start script needs are installed. */
export function hasCeph(env = process.env) {
  return ['radosgw', 'ceph-mon', 'ceph-osd'].every((name) => onPath(name, env))
}

/** A TCP port on 127.0.0.1 that is free right now (the OS picks it). */
export function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address()
      server.close(() => resolvePort(port))
    })
  })
}

/** The `export NAME=value` lines of an env file as an object. */
export function readEnvFile(path) {
  const vars = {}
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const match = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line.trim())
    if (match) vars[match[1]] = match[2].replace(/^(['"])(.*)\1$/, '$2')
  }
  return vars
}

function runStartScript(stateDir, s3Port, monPort, env) {
  const childEnv = { ...env, S3_STATE_DIR: resolve(stateDir), S3_PORT: String(s3Port), CEPH_MON_PORT: String(monPort) }
  return new Promise((resolveRun) => {
    const child = spawn('bash', [join(CEPH_SCRIPTS, 'start-ceph-rgw.sh')], { env: childEnv, stdio: ['ignore', 'ignore', 'pipe'] })
    let log = ''
    child.stderr.on('data', (chunk) => (log += chunk))
    child.on('close', (code) => resolveRun({ code, log }))
  })
}

/**
 * Starts a Ceph RGW with its state in `stateDir` on free ports and returns the `AWS_*` variables
 * (also written to `<stateDir>/env`). Throws with the start script's log when it fails.
 */
export async function startCephRgw(stateDir, env = process.env) {
  let last = { code: 1, log: '' }
  for (let attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
    const s3Port = await freePort()
    let monPort = await freePort()
    while (monPort === s3Port) monPort = await freePort()
    const started = Date.now()
    last = await runStartScript(stateDir, s3Port, monPort, env)
    if (last.code === 0) {
      const vars = readEnvFile(join(stateDir, 'env'))
      console.error(`[s3-env] Ceph RGW up at ${vars.AWS_ENDPOINT_URL} in ${((Date.now() - started) / 1000).toFixed(1)}s (state ${stateDir})`)
      return vars
    }
    if (!/already in use/.test(last.log)) break
  }
  throw new Error(`start-ceph-rgw.sh failed (exit ${last.code}):\n${last.log.trim()}`)
}

/** Stops the daemons of `stateDir` (synchronous, so it also works in exit handlers) and removes its files. */
export function stopCephRgw(stateDir, env = process.env) {
  const result = spawnSync('bash', [join(CEPH_SCRIPTS, 'stop-ceph-rgw.sh')], {
    env: { ...env, S3_STATE_DIR: resolve(stateDir) },
    stdio: ['ignore', 'inherit', 'inherit'],
  })
  return result.status ?? 1
}

async function main([command, stateDir]) {
  if ((command !== 'start' && command !== 'stop') || !stateDir) {
    console.error('usage: node scripts/s3-env.mjs start|stop <state-dir>')
    return 2
  }
  if (command === 'stop') return stopCephRgw(stateDir)
  if (!hasCeph()) {
    console.error(`Ceph is not installed (radosgw, ceph-mon, ceph-osd): ${CEPH_INSTALL_HINT}`)
    return 1
  }
  try {
    await startCephRgw(stateDir)
    return 0
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err))
    return 1
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2))
}
