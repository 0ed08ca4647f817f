// GET /api/data: rows at a version or timestamp, exact values as text, columns, filter and paging,
// and the errors a bad request gets (code and parameter).

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveTable } from '@lake/core/internal'
import { startUiServer } from '@lake/ui'
import type { DataPage, HistoryPage, UiServer } from '@lake/ui'
import { tempDir } from './temp-dir.js'
import { get, getJson, SCRIPT, SCRIPT_COLUMN, writeSampleTable } from './ui-harness.js'

let server: UiServer

beforeAll(async () => {
  const dir = tempDir('lake-ui-data-')
  await writeSampleTable(dir)
  server = await startUiServer({ engine: await resolveTable(dir), uri: dir })
})
afterAll(() => server.close())

const byId = (page: DataPage): Map<string | null, readonly (string | null)[]> => new Map(page.rows.map((r) => [r[0] ?? null, r]))

describe('data', () => {
  it('renders int64, decimals, microsecond timestamps and binary exactly, and markup as plain text', async () => {
    const page = await getJson<DataPage>(server, '/api/data?version=1')
    expect(page.version).toBe(1)
    expect(page.columns.map((c) => c.name)).toEqual(['id', 'name', 'price', 'ts', 'bin', SCRIPT_COLUMN, 'day'])
    const rows = byId(page)
    expect(rows.get('9007199254740993')).toEqual(['9007199254740993', SCRIPT, '12345678901234567.891', '2024-05-01T12:00:00.123456Z', '0001abff', 'x', '2024-05-01'])
    expect(rows.get('2')).toEqual(['2', 'two', '-0.500', '2024-05-02T00:00:00.000001Z', null, null, '2024-05-01'])
  })

  it('shows the rows of an earlier version, and of the version current at a timestamp', async () => {
    expect((await getJson<DataPage>(server, '/api/data?version=2')).rows).toHaveLength(3)
    expect((await getJson<DataPage>(server, '/api/data')).rows.map((r) => r[0]).sort()).toEqual(['3', '4', '9007199254740993'])
    const history = await getJson<HistoryPage>(server, '/api/history')
    const v1 = history.entries.find((e) => e.version === 1)
    const at = await getJson<DataPage>(server, `/api/data?timestamp=${encodeURIComponent(v1?.timestamp ?? '')}`)
    expect([at.version, at.rows.length]).toEqual([1, 2])
  })

  it('selects columns and filters with the expression language', async () => {
    const page = await getJson<DataPage>(server, `/api/data?columns=name,id&filter=${encodeURIComponent("day = '2024-05-01' AND id < 5")}`)
    expect(page.columns.map((c) => c.name)).toEqual(['name', 'id'])
    expect(page.rows).toEqual([['three', '3']])
  })

  it('pages with offset and limit and says whether rows follow', async () => {
    const first = await getJson<DataPage>(server, '/api/data?version=2&limit=2')
    const second = await getJson<DataPage>(server, '/api/data?version=2&limit=2&offset=2')
    expect([first.rows.length, first.more, second.rows.length, second.more, second.offset]).toEqual([2, true, 1, false, 2])
    expect(new Set([...first.rows, ...second.rows].map((r) => r[0])).size).toBe(3)
  })

  it('answers a malformed filter with 400 InvalidPredicate and its position', async () => {
    const reply = await get(server, `/api/data?filter=${encodeURIComponent('id >')}`)
    expect(reply.status).toBe(400)
    expect(JSON.parse(reply.body).error).toMatchObject({ code: 'InvalidPredicate', context: { position: 5 } })
  })

  it('answers an unknown column and a malformed parameter with 400 InvalidArgument naming the parameter', async () => {
    const column = await get(server, '/api/data?columns=id,nope')
    expect(column.status).toBe(400)
    expect(JSON.parse(column.body).error).toMatchObject({ code: 'InvalidArgument', context: { parameter: 'columns', column: 'nope' } })
    const limit = await get(server, '/api/data?limit=ten')
    expect(JSON.parse(limit.body).error).toMatchObject({ code: 'InvalidArgument', context: { parameter: 'limit' } })
    const timestamp = await get(server, '/api/data?timestamp=yesterday')
    expect(JSON.parse(timestamp.body).error).toMatchObject({ code: 'InvalidArgument', context: { parameter: 'timestamp' } })
  })

  it('answers a version or timestamp outside the table with 404 and the table error code', async () => {
    const version = await get(server, '/api/data?version=7')
    expect([version.status, JSON.parse(version.body).error.code]).toEqual([404, 'VersionNotFound'])
    const early = await get(server, '/api/data?timestamp=2000-01-01T00:00:00Z')
    expect([early.status, JSON.parse(early.body).error.code]).toEqual([404, 'TimestampOutOfRange'])
  })
})
