// Every endpoint over every golden table (fixtures/golden): each answers 200, or — for the tables
// lake refuses to read — a 4xx with the table error's code (never a 500). The history lists every
// version the manifest records.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { resolveTable } from '@lake/core/internal'
import { startUiServer } from '@lake/ui'
import type { HistoryPage, UiServer } from '@lake/ui'
import { get } from './ui-harness.js'

const GOLDEN = fileURLToPath(new URL('../../../fixtures/golden/', import.meta.url))
interface GoldenTable {
  readonly name: string
  readonly log: { readonly minCommit: number; readonly maxCommit: number }
}
const TABLES = (JSON.parse(readFileSync(`${GOLDEN}manifest.json`, 'utf8')) as { tables: GoldenTable[] }).tables
const servers: UiServer[] = []
afterAll(async () => {
  for (const s of servers) await s.close()
})

describe('golden tables', () => {
  it.each(TABLES.map((t) => [t.name, t] as const))('%s: every endpoint answers', async (_name, table) => {
    const uri = `${GOLDEN}${table.name}`
    const server = await startUiServer({ engine: await resolveTable(uri), uri })
    servers.push(server)
    const paths = ['/api/overview', '/api/history?limit=1000', `/api/versions/${table.log.maxCommit}`, '/api/data?limit=5', '/api/health']
    const replies = await Promise.all(paths.map((p) => get(server, p)))
    for (const [i, reply] of replies.entries()) {
      const body = JSON.parse(reply.body) as { error?: { code: string } }
      if (reply.status !== 200) {
        expect(reply.status, `${paths[i]}: ${reply.body}`).toBeLessThan(500)
        expect(body.error?.code).toMatch(/^(UnsupportedFeature|InvalidProtocol|CorruptLog|TableNotFound|NotFound|VersionNotFound)$/)
      }
    }
    const history = replies[1]
    if (history?.status === 200) {
      const page = JSON.parse(history.body) as HistoryPage
      expect(page.latest).toBe(table.log.maxCommit)
      expect(page.entries[0]?.version).toBe(table.log.maxCommit)
      expect(page.entries.length).toBe(page.total)
    }
  })
})
