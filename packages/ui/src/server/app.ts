// The Hono app: the guard, the JSON API over a TableSource and the built page. Every endpoint is a
// GET that reads; errors become `{ error: { code, message, context } }` with a status from the code.

import { Hono } from 'hono'
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { dataPage } from '../api/data-page.js'
import { health } from '../api/health.js'
import type { Health } from '../api/health.js'
import { historyPage } from '../api/history.js'
import { overview } from '../api/overview.js'
import { versionDetail } from '../api/version-detail.js'
import { Lru } from '../source/lru.js'
import type { TableSource } from '../source/table-source.js'
import { errorBody } from './error-body.js'
import { guard, SECURITY_HEADERS } from './guard.js'
import type { GuardOptions } from './guard.js'
import type { Asset } from './page-assets.js'
import { intParam, listParam, timestampParam } from './query.js'

/** Most rows a data page returns. */
const MAX_PAGE_ROWS = 1000
/** Most commits a history page returns. */
const MAX_HISTORY_PAGE = 1000

export interface AppOptions extends GuardOptions {
  readonly source: TableSource
  readonly assets: ReadonlyMap<string, Asset>
}

/** The app serving `options.source`. */
export function createApp(options: AppOptions): Hono {
  const { source, assets } = options
  const healthByVersion = new Lru<number, Health>(4)
  const app = new Hono()
  app.use('*', async (c, next) => {
    await next()
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value)
  })
  app.use('*', guard(options))
  app.onError((err, c) => {
    const { status, body } = errorBody(err)
    return json(c, body, status)
  })
  app.get('/api/overview', async (c) => json(c, await overview(source, await source.table(intParam(q(c), 'version', undefined)))))
  app.get('/api/history', async (c) => {
    const before = intParam(q(c), 'before', undefined)
    return json(c, await historyPage(source, before, intParam(q(c), 'limit', 100, MAX_HISTORY_PAGE) ?? 100))
  })
  app.get('/api/versions/:version', async (c) => json(c, await versionDetail(source, intParam((n) => c.req.param(n), 'version', 0) ?? 0)))
  app.get('/api/data', async (c) => {
    const timestamp = timestampParam(q(c), 'timestamp')
    const table = timestamp === undefined ? await source.table(intParam(q(c), 'version', undefined)) : await source.tableAt(timestamp)
    const filter = c.req.query('filter')
    return json(c, await dataPage(table, {
      ...(listParam(q(c), 'columns') === undefined ? {} : { columns: listParam(q(c), 'columns') }),
      ...(filter === undefined || filter.trim() === '' ? {} : { filter }),
      offset: intParam(q(c), 'offset', 0) ?? 0,
      limit: intParam(q(c), 'limit', 100, MAX_PAGE_ROWS) ?? 100,
      signal: c.req.raw.signal,
    }))
  })
  app.get('/api/health', async (c) => {
    const latest = await source.latestVersion()
    return json(c, await healthByVersion.get(latest, async () => health(source, await source.table(latest))))
  })
  app.get('/api/*', (c) => json(c, { error: { code: 'NotFound', message: `expected an API endpoint, found ${c.req.path}` } }, 404))
  app.get('*', (c) => page(c, assets, options.token))
  return app
}

function q(c: Context): (name: string) => string | undefined {
  return (name) => c.req.query(name)
}

/** JSON with bigints written as strings (exact), never as rounded numbers. */
function json(c: Context, value: unknown, status: ContentfulStatusCode = 200): Response {
  const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))
  return c.body(text, status, { 'Content-Type': 'application/json; charset=utf-8' })
}

/** A file of the page; any other path is the page itself, its asset URLs carrying the token. */
function page(c: Context, assets: ReadonlyMap<string, Asset>, token: string): Response {
  const asset = assets.get(c.req.path)
  if (asset !== undefined && c.req.path !== '/index.html') return c.body(asset.body, 200, { 'Content-Type': asset.type })
  const index = assets.get('/index.html')
  if (index === undefined || c.req.path.startsWith('/assets/')) return c.text('not found', 404)
  const html = new TextDecoder().decode(index.body).replace(/(src|href)="(\/assets\/[\w.-]+)"/g, `$1="$2?token=${encodeURIComponent(token)}"`)
  return c.body(html, 200, { 'Content-Type': index.type })
}
