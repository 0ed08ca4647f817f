// Shared pieces of the multi-process concurrency tests: where a table lives (local directory or a
// unique S3 prefix), child writer processes with bounded waits, and a full check of a table's log.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { expect } from 'vitest'
import { DeltaTable, createEngine } from '@lake/core'
import { commitPath, loadSnapshot, parseCommit } from '@lake/core/internal'
import type { Action } from '@lake/core/internal'
import type { Row } from '@lake/parquet'
import { LocalStore } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'
import { deletePrefix, makeTestStore, uniqueRunPrefix, type S3TestEnv } from '../../packages/storage-s3/test/s3-test-env.js'

const CHILD = fileURLToPath(new URL('./child.mjs', import.meta.url))
/** Bound of any single wait on a child (a line, an exit): a hung child fails the test instead of hanging it. */
export const CHILD_TIMEOUT_MS = 60_000 // ms

/** Where the tables of one test file live. */
export interface Target {
  readonly name: string
  /** A fresh table location (URL for the children, store for the checks). */
  table(label: string): { readonly url: string; readonly store: ObjectStore }
  /** Environment of the child processes. */
  readonly childEnv: NodeJS.ProcessEnv
  cleanup(): Promise<void>
}

/** Tables in a temp directory. */
export function localTarget(): Target {
  const dir = mkdtempSync(join(tmpdir(), 'lake-concurrency-'))
  return {
    name: 'local',
    table: (label) => ({ url: join(dir, label), store: new LocalStore(join(dir, label)) }),
    childEnv: process.env,
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
}

/** Tables under a unique prefix of the S3 test bucket. */
export function s3Target(env: S3TestEnv, label: string): Target {
  const prefix = uniqueRunPrefix(label)
  return {
    name: 's3',
    table: (name) => ({ url: `s3://${env.bucket}/${prefix}/${name}`, store: makeTestStore(env, `${prefix}/${name}`) }),
    childEnv: {
      ...process.env,
      AWS_ENDPOINT_URL: env.endpoint,
      AWS_REGION: env.region,
      ...(env.credentials === undefined ? {} : { AWS_ACCESS_KEY_ID: env.credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: env.credentials.secretAccessKey }),
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    cleanup: () => deletePrefix(env, prefix),
  }
}

/** A running child.mjs. */
export interface Child {
  readonly process: ChildProcessWithoutNullStreams
  /** The next stdout line; rejects when the child exits first or after `timeoutMs`. */
  line(timeoutMs?: number): Promise<string>
  /** The next line parsed as JSON. */
  json<T>(timeoutMs?: number): Promise<T>
  send(line: string): void
  /** Resolves with the exit signal or code once the child has exited (bounded). */
  exited(timeoutMs?: number): Promise<string>
}

/** Starts `node child.mjs <command> <args>` with the target's environment. */
export function startChild(target: Target, command: string, args: object, label = command): Child {
  const child = spawn(process.execPath, [CHILD, command, JSON.stringify(args)], { env: target.childEnv })
  child.stderr.on('data', (chunk: Buffer) => process.stderr.write(`[${label}] ${chunk.toString()}`))
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]()
  const exit = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))))
  const line = (timeoutMs = CHILD_TIMEOUT_MS): Promise<string> =>
    bounded(
      Promise.race([
        lines.next().then((r) => (r.done === true ? Promise.reject(new Error(`${label}: stdout ended`)) : r.value)),
        exit.then((how) => Promise.reject(new Error(`${label} exited (${how}) before printing a line`))),
      ]),
      timeoutMs,
      `${label}: a line`,
    )
  return {
    process: child,
    line,
    json: async <T>(timeoutMs?: number) => JSON.parse(await line(timeoutMs)) as T,
    send: (text) => child.stdin.write(`${text}\n`),
    exited: (timeoutMs = CHILD_TIMEOUT_MS) => bounded(exit, timeoutMs, `${label}: exit`),
  }
}

/** `promise`, or a rejection naming `what` after `ms`. */
export function bounded<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/** What a table holds after a full check of its log. */
export interface TableState {
  readonly version: number
  /** The actions of every commit, by version. */
  readonly commits: readonly (readonly Action[])[]
  readonly rows: readonly Row[]
}

/**
 * Checks a table as a fresh reader: every `_delta_log/*.json` commit parses fully (each line is one
 * JSON object; none is partial), versions run 0..latest with no gap, and loadSnapshot plus a full
 * scan succeed. Returns the commits and rows.
 */
export async function inspectTable(store: ObjectStore): Promise<TableState> {
  const names: string[] = []
  for await (const meta of store.list('_delta_log/')) names.push(meta.path)
  const commitNames = names.filter((n) => /^_delta_log\/\d{20}\.json$/.test(n))
  const version = commitNames.length - 1
  expect(commitNames).toEqual(Array.from({ length: commitNames.length }, (_, v) => commitPath(v)))
  const commits: Action[][] = []
  for (let v = 0; v <= version; v++) {
    const bytes = await store.get(commitPath(v))
    const text = new TextDecoder().decode(bytes)
    expect(text.endsWith('\n') || text.endsWith('}'), `commit ${v} ends cleanly`).toBe(true)
    for (const line of text.split('\n').filter((l) => l.trim() !== '')) expect(() => JSON.parse(line), `commit ${v}: ${line}`).not.toThrow()
    commits.push(parseCommit(bytes, v))
  }
  const engine = createEngine(store)
  const snapshot = await loadSnapshot(engine)
  expect(snapshot.version).toBe(version)
  const rows = await (await DeltaTable.open(engine, { version })).toArray()
  return { version, commits, rows }
}

/** The add actions of one commit. */
export function addsOf(actions: readonly Action[]): Extract<Action, { kind: 'add' }>['add'][] {
  return actions.flatMap((a) => (a.kind === 'add' ? [a.add] : []))
}
