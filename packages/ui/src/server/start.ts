// Starts the UI server: binds (127.0.0.1 and a free port by default), makes the random token and
// the URL that carries it, and returns a handle that closes the server.

import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
import { isIP } from 'node:net'
import { createAdaptorServer } from '@hono/node-server'
import type { Engine } from '@lake/core'
import { UiError } from '../errors.js'
import { TableSource } from '../source/table-source.js'
import { createApp } from './app.js'
import { loadPageAssets } from './page-assets.js'

export interface UiServerOptions {
  readonly engine: Engine
  /** The table URI as the user typed it (shown, and used in the suggested `lake` commands). */
  readonly uri: string
  /** The version the page opens at (default: the latest, followed as commits arrive). */
  readonly version?: number
  /** Address to bind (default 127.0.0.1). A wildcard (0.0.0.0, ::) is refused: the Host check needs the address clients use. */
  readonly host?: string
  /** Port (default 0: a free one). */
  readonly port?: number
  /** The token (default: 24 random bytes, base64url). */
  readonly token?: string
  /** The built page's directory (default: the page shipped in this package). */
  readonly pageDir?: string
}

export interface UiServer {
  /** The URL to open, with the token. */
  readonly url: string
  readonly host: string
  readonly port: number
  readonly token: string
  /** Whether the address is a loopback one (127.0.0.0/8, ::1, localhost). */
  readonly loopback: boolean
  close(): Promise<void>
}

/**
 * Serves a table's page until `close()`.
 * @throws UiError `InvalidConfig` for a wildcard host or a port in use, `NotFound` when the page was not built.
 */
export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const host = options.host ?? '127.0.0.1'
  if (host === '0.0.0.0' || host === '::' || host === '') {
    throw new UiError('InvalidConfig', `host: expected a specific address to bind, found ${JSON.stringify(host)}: requests are checked against the address they name`, { context: { host } })
  }
  const token = options.token ?? randomBytes(24).toString('base64url')
  const assets = await loadPageAssets(options.pageDir)
  const source = new TableSource({ engine: options.engine, uri: options.uri, ...(options.version === undefined ? {} : { startVersion: options.version }) })
  let port = options.port ?? 0
  const hosts = new Set<string>()
  const app = createApp({ source, assets, token, hosts })
  const server = createAdaptorServer({ fetch: app.fetch, hostname: host }) as Server
  port = await listen(server, host, port)
  const authority = `${isIP(host) === 6 ? `[${host}]` : host}:${port}`.toLowerCase()
  hosts.add(authority)
  return {
    url: `http://${authority}/?token=${token}`,
    host,
    port,
    token,
    loopback: isLoopback(host),
    close: () => close(server),
  }
}

/** Whether `host` names this machine only. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host)
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      reject(new UiError('InvalidConfig', `expected to listen on ${host}:${port}, found ${err.code ?? err.message}`, { cause: err, context: { host, port } }))
    })
    server.listen(port, host, () => {
      const address = server.address()
      resolve(typeof address === 'object' && address !== null ? address.port : port)
    })
  })
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
}
