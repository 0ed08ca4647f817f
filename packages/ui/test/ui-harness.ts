// Helpers of the @lake/ui tests: a sample table with every kind of value the page must render
// exactly (int64 past 2^53, decimals, microsecond timestamps, binary, `<script>` in a value and in a
// column name) over four versions, and raw HTTP requests (node:http, so the Host header is ours).

import { request } from 'node:http'
import { DeltaTable, parseSchema } from '@lake/core'
import type { UiServer } from '@lake/ui'

export const SCRIPT = '<script>window.__pwned = 1</script>'
export const SCRIPT_COLUMN = '<script>window.__col+1</script>'

const field = (name: string, type: unknown): unknown => ({ name, type, nullable: true, metadata: {} })

/** id long, name string, price decimal(20,3), ts timestamp, bin binary, the markup-named column, day (partition). */
export const SAMPLE_SCHEMA = parseSchema(JSON.stringify({
  type: 'struct',
  fields: [field('id', 'long'), field('name', 'string'), field('price', 'decimal(20,3)'), field('ts', 'timestamp'), field('bin', 'binary'), field(SCRIPT_COLUMN, 'string'), field('day', 'string')],
}))

/** v0 create, v1 two rows, v2 a third row, v3 a new column `note` (schema merge), v4 delete id = 2. */
export async function writeSampleTable(dir: string): Promise<void> {
  const table = await DeltaTable.create(dir, { schema: SAMPLE_SCHEMA, partitionBy: ['day'], name: 'sample', description: 'a <b>sample</b> table', configuration: { 'delta.enableDeletionVectors': 'true' } })
  await table.write([
    { id: 9007199254740993n, name: SCRIPT, price: '12345678901234567.891', ts: '2024-05-01T12:00:00.123456Z', bin: new Uint8Array([0, 1, 0xab, 0xff]), [SCRIPT_COLUMN]: 'x', day: '2024-05-01' },
    { id: 2n, name: 'two', price: '-0.500', ts: '2024-05-02T00:00:00.000001Z', bin: null, [SCRIPT_COLUMN]: null, day: '2024-05-01' },
  ])
  await table.write([{ id: 3n, name: 'three', price: '3.000', ts: '2024-05-03T00:00:00Z', bin: new Uint8Array([3]), [SCRIPT_COLUMN]: 'z', day: '2024-05-01' }])
  await table.write([{ id: 4n, name: 'four', note: 'added', day: '2024-05-02' }], { schemaMode: 'merge' })
  await (await table.refresh()).delete('id = 2')
}

export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: string
}

/** A request to `server` with the token (unless `token: null`) and the bound Host (unless given). */
export function get(server: UiServer, path: string, options: { token?: string | null; host?: string; method?: string } = {}): Promise<Reply> {
  const token = options.token === undefined ? server.token : options.token
  const headers: Record<string, string> = { host: options.host ?? `${server.host}:${server.port}` }
  if (token !== null) headers['authorization'] = `Bearer ${token}`
  return new Promise((resolve, reject) => {
    const req = request({ host: server.host, port: server.port, path, method: options.method ?? 'GET', headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => (body += c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
    })
    req.on('error', reject)
    req.end()
  })
}

/** The JSON of a 200 reply. */
export async function getJson<T>(server: UiServer, path: string): Promise<T> {
  const reply = await get(server, path)
  if (reply.status !== 200) throw new Error(`expected 200 from ${path}, found ${reply.status}: ${reply.body}`)
  return JSON.parse(reply.body) as T
}
