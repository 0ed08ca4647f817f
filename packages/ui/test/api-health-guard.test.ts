// GET /api/health (findings with their fixing commands) and the guard every request passes: the
// token, the Host header (DNS rebinding), read-only methods; and the server's own refusals.

import { createServer } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveTable } from '@lake/core/internal'
import { startUiServer, UiError } from '@lake/ui'
import type { Health, UiServer } from '@lake/ui'
import { tempDir } from './temp-dir.js'
import { get, getJson, writeSampleTable } from './ui-harness.js'

let server: UiServer
let dir: string

beforeAll(async () => {
  dir = tempDir('lake-ui-health-')
  await writeSampleTable(dir)
  server = await startUiServer({ engine: await resolveTable(dir), uri: dir })
})
afterAll(() => server.close())

describe('health', () => {
  it('finds small files and deletion vectors, with the command that fixes each', async () => {
    const h = await getJson<Health>(server, '/api/health')
    expect(h).toMatchObject({ version: 4, targetBytes: 128 * 1024 * 1024, checkpoint: { version: null, commitsSince: 5, interval: 10 } })
    expect(h.deletionVectors).toEqual({ files: 1, deletedRows: 1, rows: 4 })
    expect(h.partitions.count).toBe(2)
    expect(h.histogram.reduce((n, b) => n + b.files, 0)).toBe(3)
    expect(h.vacuum).toMatchObject({ retentionHours: 168, files: 0, bytes: 0 })
    const byKind = new Map(h.findings.map((f) => [f.kind, f.command]))
    expect(byKind.get('smallFiles')).toBe(`lake optimize ${dir}`)
    expect(byKind.get('deletionVectors')).toBe(`lake optimize ${dir}`)
    expect(byKind.has('checkpoint')).toBe(false)
  })
})

describe('guard', () => {
  it('refuses a request without the token or with another one (401)', async () => {
    for (const token of [null, 'not-the-token']) {
      const reply = await get(server, '/api/overview', { token })
      expect(reply.status).toBe(401)
      expect(JSON.parse(reply.body).error.code).toBe('Unauthorized')
    }
    expect((await get(server, '/', { token: null })).status).toBe(401)
  })

  it('accepts the token in the query string (the printed URL)', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`)
    expect((await get(server, `/api/overview?token=${server.token}`, { token: null })).status).toBe(200)
  })

  it('refuses a foreign Host header even with the token (403): DNS rebinding', async () => {
    for (const host of ['evil.example:80', `evil.example:${server.port}`, `localhost:${server.port}`, '127.0.0.1:1', `127.0.0.1.nip.io:${server.port}`]) {
      const reply = await get(server, '/api/overview', { host })
      expect(reply.status, host).toBe(403)
      expect(JSON.parse(reply.body).error.code).toBe('ForbiddenHost')
    }
  })

  it('refuses methods other than GET and HEAD (405): read-only', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH']) expect((await get(server, '/api/overview', { method })).status).toBe(405)
  })

  it('serves the page with its asset URLs carrying the token, and a strict Content-Security-Policy', async () => {
    const page = await get(server, '/')
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? '')
    expect(assets.length).toBeGreaterThanOrEqual(2)
    for (const asset of assets) {
      expect(asset).toMatch(new RegExp(`^/assets/[\\w.-]+\\?token=${server.token}$`))
      expect((await get(server, asset, { token: null })).status).toBe(200)
      expect((await get(server, asset.replace(/\?.*/, ''), { token: null })).status).toBe(401)
    }
    expect((await get(server, '/api/nope')).status).toBe(404)
  })
})

describe('startUiServer', () => {
  it('refuses a wildcard address (InvalidConfig): the Host check needs the address clients use', async () => {
    const engine = await resolveTable(dir)
    for (const host of ['0.0.0.0', '::']) {
      const err = await startUiServer({ engine, uri: dir, host }).catch((e: unknown) => e)
      expect(err).toBeInstanceOf(UiError)
      expect(err).toMatchObject({ code: 'InvalidConfig', context: { host } })
    }
  })

  it('refuses a port in use (InvalidConfig with host and port)', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const address = blocker.address()
    const port = typeof address === 'object' && address !== null ? address.port : 0
    try {
      const err = await startUiServer({ engine: await resolveTable(dir), uri: dir, port }).catch((e: unknown) => e)
      expect(err).toMatchObject({ code: 'InvalidConfig', context: { host: '127.0.0.1', port } })
    } finally {
      blocker.close()
    }
  })

  it('refuses to start without the built page (NotFound naming the directory)', async () => {
    const pageDir = tempDir('lake-ui-nopage-')
    const err = await startUiServer({ engine: await resolveTable(dir), uri: dir, pageDir }).catch((e: unknown) => e)
    expect(err).toMatchObject({ code: 'NotFound', context: { path: pageDir } })
  })
})
