// Runs the built `lake` CLI for the end-to-end tests: spawned as a process (`node
// packages/cli/bin/lake.js`, the installed command, which runs the CLI's bundle), or in process
// through its `run` function with captured streams.

import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { PassThrough, Readable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { run } from '@lake/cli'
import { expect } from 'vitest'

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url))
export const BIN = join(REPO_ROOT, 'packages/cli/bin/lake.js')

/** What a CLI run produced. */
export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** Options of a run. */
export interface RunOptions {
  readonly cwd?: string
  readonly input?: string
  readonly env?: Readonly<Record<string, string | undefined>>
}

/** Spawns `node bin/lake.js ...args` and collects its output and exit code. */
export function lake(args: readonly string[], options: RunOptions = {}): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { cwd: options.cwd, env: { ...process.env, NO_COLOR: '1', ...options.env } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()))
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
    child.on('error', reject)
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }))
    child.stdin.end(options.input ?? '')
  })
}

/** Runs the CLI in this process (fast; for the golden sweep). stdout is not a terminal. */
export async function lakeInProcess(args: readonly string[], options: { tty?: boolean } = {}): Promise<CliResult> {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  let out = ''
  let err = ''
  stdout.on('data', (c: Buffer) => (out += c.toString()))
  stderr.on('data', (c: Buffer) => (err += c.toString()))
  const code = await run(args, {
    stdout,
    stderr,
    stdin: Readable.from([]),
    env: { NO_COLOR: '1' },
    stdoutIsTTY: options.tty === true,
    stderrIsTTY: false,
  })
  return { code, stdout: out, stderr: err }
}

/** A fresh temporary directory, removed by the returned function. */
export function tempDir(label: string): { readonly dir: string; readonly cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `lake-cli-${label}-`))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** A Delta schema as JSON text for `lake create --schema`: [name, type, nullable (default true)] per column. */
export function schemaText(columns: readonly (readonly [string, string, boolean?])[]): string {
  return JSON.stringify({ type: 'struct', fields: columns.map(([name, type, nullable = true]) => ({ name, type, nullable, metadata: {} })) })
}

/** What `createAndIngest` makes: the schema, the NDJSON file ingested, and optionally partition columns and table properties. */
export interface NewTable {
  readonly schema: string
  readonly rows: string
  readonly partitionBy?: string
  readonly properties?: readonly string[]
}

/** `lake create` at `uri` (a `--property` per entry), then `lake ingest` of `table.rows` (version 1); both must succeed. */
export async function createAndIngest(uri: string, table: NewTable): Promise<string> {
  const partitionBy = table.partitionBy === undefined ? [] : ['--partition-by', table.partitionBy]
  const created = await lake(['create', uri, '--schema', table.schema, ...partitionBy, ...(table.properties ?? []).flatMap((p) => ['--property', p])])
  expect(created.code, created.stderr).toBe(0)
  const ingested = await lake(['ingest', table.rows, uri])
  expect(ingested.code, ingested.stderr).toBe(0)
  return uri
}

/** NDJSON lines as objects (big integers parsed as strings by a reviver-free exact path). */
export function ndjson(text: string): Record<string, unknown>[] {
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>)
}

/** The golden directory: `<repo>/fixtures/golden` (see its README.md). */
export const GOLDEN_DIR = resolve(REPO_ROOT, 'fixtures/golden')

/** One golden table of the manifest. */
export interface GoldenTable {
  readonly name: string
  readonly tableRoot: string
  readonly negativeTest?: string
  readonly notes: readonly string[]
  readonly partitionColumns: readonly string[]
  readonly versions: readonly { readonly version: number; readonly numFiles: number; readonly numRows: number | null; readonly operation?: string }[]
}

/** The golden manifest's tables. */
export function goldenTables(): GoldenTable[] {
  return (JSON.parse(readFileSync(join(GOLDEN_DIR, 'manifest.json'), 'utf8')) as { tables: GoldenTable[] }).tables
}
