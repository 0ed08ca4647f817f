// The request guard: only GET and HEAD, only with the Host the server is bound to (a page on another
// site that re-points its DNS name at 127.0.0.1 sends its own name: DNS rebinding), and only with
// the token — from `?token=` (the printed URL, and the page's asset URLs, which the served index.html
// carries it in) or a `Bearer` header (the page's API calls). No cookie: cookies are not scoped to a
// port, so another local server would receive it.

import { timingSafeEqual } from 'node:crypto'
import type { MiddlewareHandler } from 'hono'

export interface GuardOptions {
  readonly token: string
  /** Accepted Host header values, lower case (`127.0.0.1:8080`). */
  readonly hosts: ReadonlySet<string>
}

/** Refuses foreign hosts (403), other methods (405) and requests without the token (401). */
export function guard(options: GuardOptions): MiddlewareHandler {
  const expected = Buffer.from(options.token)
  const matches = (candidate: string | undefined): boolean => {
    if (candidate === undefined) return false
    const got = Buffer.from(candidate)
    return got.length === expected.length && timingSafeEqual(got, expected)
  }
  return async (c, next) => {
    const host = (c.req.header('host') ?? '').toLowerCase()
    if (!options.hosts.has(host)) return c.json({ error: { code: 'ForbiddenHost', message: `expected the Host header ${[...options.hosts].join(' or ')}, found ${JSON.stringify(host)}` } }, 403)
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.json({ error: { code: 'MethodNotAllowed', message: `expected GET or HEAD, found ${c.req.method}: the server is read-only` } }, 405)
    const fromQuery = c.req.query('token')
    const bearer = /^Bearer (.+)$/.exec(c.req.header('authorization') ?? '')?.[1]
    if (!matches(fromQuery) && !matches(bearer)) {
      return c.json({ error: { code: 'Unauthorized', message: 'expected the token of the URL lake ui printed (?token=...), found none or another' } }, 401)
    }
    await next()
  }
}

/** Headers of every response: no framing, no sniffing, no referrer (the URL has the token), scripts only from the server. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy': "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
}
