// `lake ui` end to end: the spawned binary prints the URL with its token, serves the table (at a
// pinned version when asked), stops on SIGINT with exit 130 and no error message, refuses what it
// cannot serve, and warns when bound to a non-loopback address.

import { spawn } from 'node:child_process'
import type { ChildProcessWithoutNullStreams } from 'node:child_process'
import { networkInterfaces } from 'node:os'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '@lake/core'
import { BIN, lake } from '../cli/cli-harness.js'
import { tempDir } from '../temp-dir.js'

interface Serving {
  readonly child: ChildProcessWithoutNullStreams
  readonly url: URL
  stderr(): string
  /** Sends SIGINT and resolves with the exit code. */
  stop(): Promise<number | null>
}

/** Spawns `lake ui ...args` and waits for the URL line. */
function serve(args: readonly string[]): Promise<Serving> {
  const child = spawn(process.execPath, [BIN, 'ui', ...args], { env: { ...process.env, NO_COLOR: '1' } })
  let stdout = ''
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()))
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString()
      const line = stdout.split('\n')[0]
      if (stdout.includes('\n') && line !== undefined) {
        resolve({ child, url: new URL(line), stderr: () => stderr, stop: () => (child.kill('SIGINT'), exited) })
      }
    })
    void exited.then((code) => reject(new Error(`lake ui exited with ${code} before printing a URL: ${stderr}`)))
  })
}

async function table(): Promise<string> {
  const dir = tempDir('lake-ui-cli-')
  const t = await DeltaTable.create(dir, { schema: { kind: 'struct', fields: [{ name: 'id', type: { kind: 'primitive', name: 'long' }, nullable: true, metadata: {} }] } })
  await t.write([{ id: 1n }])
  await t.write([{ id: 2n }])
  return dir
}

describe('lake ui', () => {
  it('prints the URL with its token, serves the table, and exits 130 quietly on SIGINT', async () => {
    const dir = await table()
    const s = await serve([dir])
    expect(s.url.hostname).toBe('127.0.0.1')
    const token = s.url.searchParams.get('token') ?? ''
    expect(token).toMatch(/^[\w-]{32}$/)
    const overview = await fetch(new URL(`/api/overview?token=${token}`, s.url))
    expect(await overview.json()).toMatchObject({ version: 2, numFiles: 2 })
    expect((await fetch(new URL('/api/overview', s.url))).status).toBe(401)
    expect(await s.stop()).toBe(130)
    expect(s.stderr()).toBe(`serving ${dir} read-only; press Ctrl-C to stop\n`)
  })

  it('opens the page at --version and on the port given', async () => {
    const dir = await table()
    const first = await serve([dir, '--version', '1'])
    const port = Number(first.url.port)
    await first.stop()
    const s = await serve([dir, '--version', '1', '--port', String(port)])
    expect(Number(s.url.port)).toBe(port)
    const overview = await fetch(new URL(`/api/overview${s.url.search}`, s.url))
    expect(await overview.json()).toMatchObject({ version: 1, latestVersion: 2 })
    expect(await s.stop()).toBe(130)
  })

  it('opens the page at the version current at --timestamp, and says which', async () => {
    const dir = await table()
    const [v1] = await (await DeltaTable.open(dir, { version: 1 })).history({ limit: 2 }).then((h) => h.filter((e) => e.version === 1))
    const at = new Date(v1?.timestamp ?? 0).toISOString()
    const s = await serve([dir, '--timestamp', at])
    expect(await (await fetch(new URL(`/api/overview${s.url.search}`, s.url))).json()).toMatchObject({ version: 1 })
    expect(s.stderr()).toContain(`timestamp ${at} resolved to version 1\n`)
    expect(await s.stop()).toBe(130)
  })

  it('refuses a missing table (exit 3), a missing version (exit 3) and a wildcard host (exit 1)', async () => {
    const dir = await table()
    expect((await lake(['ui', `${dir}/nope`])).code).toBe(3)
    expect((await lake(['ui', dir, '--version', '9'])).code).toBe(3)
    const wildcard = await lake(['ui', dir, '--host', '0.0.0.0'])
    expect(wildcard.code).toBe(1)
    expect(wildcard.stderr).toContain('expected a specific address to bind, found "0.0.0.0"')
    expect((await lake(['ui', dir, '--port', '70000'])).code).toBe(2)
  })

  const external = Object.values(networkInterfaces()).flat().find((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
  it.skipIf(external === undefined)('warns when bound to a non-loopback address given with --host', async () => {
    const dir = await table()
    const s = await serve([dir, '--host', external?.address ?? ''])
    expect(s.url.hostname).toBe(external?.address)
    expect(s.stderr()).toMatch(/^warning: listening on \S+, which is not a loopback address/)
    expect(await s.stop()).toBe(130)
  })
})
