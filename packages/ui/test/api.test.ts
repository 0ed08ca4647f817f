// The JSON API of @lake/ui on a local table: every endpoint, exact values, paging, errors with their
// codes, and the guard (token, Host, method).

import { cpSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveTable } from '@lake/core/internal'
import { startUiServer } from '@lake/ui'
import type { HistoryPage, Overview, UiServer, VersionDetail } from '@lake/ui'
import { tempDir } from './temp-dir.js'
import { get, getJson, SCRIPT_COLUMN, writeSampleTable } from './ui-harness.js'

let server: UiServer
let dir: string

beforeAll(async () => {
  dir = tempDir('lake-ui-api-')
  await writeSampleTable(dir)
  server = await startUiServer({ engine: await resolveTable(dir), uri: dir })
})
afterAll(() => server.close())

describe('overview', () => {
  it('reports the latest version, its size, protocol, properties and columns', async () => {
    const o = await getJson<Overview>(server, '/api/overview')
    expect(o).toMatchObject({ name: 'sample', description: 'a <b>sample</b> table', version: 4, latestVersion: 4, numFiles: 3, numRecords: 3, partitionColumns: ['day'] })
    expect(o.protocol.readerFeatures).toContain('deletionVectors')
    expect(o.properties).toContainEqual(['delta.enableDeletionVectors', 'true'])
    expect(o.columns.map((c) => c.path)).toEqual(['id', 'name', 'price', 'ts', 'bin', SCRIPT_COLUMN, 'day', 'note'])
    expect(o.columns.find((c) => c.path === 'price')?.type).toBe('decimal(20,3)')
  })

  it('reports an earlier version on request', async () => {
    expect(await getJson<Overview>(server, '/api/overview?version=1')).toMatchObject({ version: 1, latestVersion: 4, numFiles: 1, numRecords: 2 })
  })
})

describe('history', () => {
  it('lists every commit newest first with its operation', async () => {
    const page = await getJson<HistoryPage>(server, '/api/history')
    expect(page).toMatchObject({ earliest: 0, latest: 4, total: 5, availableFrom: 0, next: null })
    expect(page.entries.map((e) => [e.version, e.operation])).toEqual([[4, 'DELETE'], [3, 'WRITE'], [2, 'WRITE'], [1, 'WRITE'], [0, 'CREATE TABLE']])
    expect(page.entries.find((e) => e.version === 1)).toMatchObject({ rowsAdded: '2', filesAdded: '1' })
  })

  it('pages with limit and before', async () => {
    const first = await getJson<HistoryPage>(server, '/api/history?limit=2')
    expect([first.entries.map((e) => e.version), first.next]).toEqual([[4, 3], 3])
    const second = await getJson<HistoryPage>(server, `/api/history?limit=2&before=${first.next}`)
    expect([second.entries.map((e) => e.version), second.next]).toEqual([[2, 1], 1])
    const last = await getJson<HistoryPage>(server, '/api/history?limit=2&before=1')
    expect([last.entries.map((e) => e.version), last.next]).toEqual([[0], null])
  })
})

describe('history of a log cleaned up to a checkpoint', () => {
  // The golden `checkpoint` table (checkpoint at 10, commits 0..14) without its early commit files.
  async function cleanedUp(removed: readonly number[]): Promise<HistoryPage> {
    const table = join(tempDir('lake-ui-cleaned-'), 'checkpoint')
    cpSync(fileURLToPath(new URL('../../../fixtures/golden/checkpoint', import.meta.url)), table, { recursive: true })
    for (const v of removed) rmSync(join(table, '_delta_log', `${String(v).padStart(20, '0')}.json`))
    const cleaned = await startUiServer({ engine: await resolveTable(table), uri: table })
    try {
      return await getJson<HistoryPage>(cleaned, '/api/history')
    } finally {
      await cleaned.close()
    }
  }

  it('says from which version history is available: the checkpoint\'s when its commit is kept, else the next', async () => {
    const kept = await cleanedUp(Array.from({ length: 10 }, (_, v) => v))
    expect(kept).toMatchObject({ earliest: 10, latest: 14, availableFrom: 10 })
    expect(kept.entries.map((e) => e.version)).toEqual([14, 13, 12, 11, 10])
    const gone = await cleanedUp(Array.from({ length: 11 }, (_, v) => v))
    expect(gone).toMatchObject({ earliest: 10, latest: 14, availableFrom: 11 })
    expect(gone.entries.map((e) => e.version)).toEqual([14, 13, 12, 11])
  })
})

describe('version detail', () => {
  it('shows the commit, its files and the columns it added', async () => {
    const d = await getJson<VersionDetail>(server, '/api/versions/3')
    expect(d.commitInfo?.['operation']).toBe('WRITE')
    expect(d.added).toMatchObject({ count: 1, files: [{ partitionValues: [['day', '2024-05-02']], numRecords: 1 }] })
    expect(d.removed.count).toBe(0)
    expect(d.schemaChange).toEqual({ added: [{ path: 'note', type: 'string', nullable: true }], removed: [], changed: [] })
    expect(d.protocolChange).toBeNull()
  })

  it('shows the protocol and properties a table was created with', async () => {
    const d = await getJson<VersionDetail>(server, '/api/versions/0')
    expect(d.protocolChange?.before).toBeNull()
    expect(d.protocolChange?.after.readerFeatures).toContain('deletionVectors')
    expect(d.propertyChanges).toContainEqual({ key: 'delta.enableDeletionVectors', before: null, after: 'true' })
    expect(d.schemaChange?.added.map((c) => c.path)).toContain(SCRIPT_COLUMN)
  })

  it('shows the file a delete replaced and the deletion vector it added', async () => {
    const d = await getJson<VersionDetail>(server, '/api/versions/4')
    expect(d.commitInfo?.['operation']).toBe('DELETE')
    expect(d.removed.count).toBe(1)
    expect(d.added.files[0]).toMatchObject({ deletedRows: 1, numRecords: 2 })
    expect(d.schemaChange).toBeNull()
  })

  it('answers 404 VersionNotFound-style NotFound for a version that does not exist', async () => {
    const reply = await get(server, '/api/versions/99')
    expect(reply.status).toBe(404)
    expect(JSON.parse(reply.body).error.code).toBe('NotFound')
  })
})
