// The built page (dist/page: index.html and its hashed assets), read into memory once. Requests are
// answered from this map, so no request path ever reaches the file system.

import { readdir, readFile } from 'node:fs/promises'
import { extname, join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { UiError } from '../errors.js'

export interface Asset {
  readonly body: Uint8Array<ArrayBuffer>
  readonly type: string
}

const TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
}

/** The page's files by URL path (`/index.html`, `/assets/index-x.js`). @throws UiError `NotFound` when the page was not built. */
export async function loadPageAssets(dir: string = fileURLToPath(new URL('../page/', import.meta.url))): Promise<ReadonlyMap<string, Asset>> {
  const assets = new Map<string, Asset>()
  let names: string[]
  try {
    names = (await readdir(dir, { recursive: true, withFileTypes: true })).filter((d) => d.isFile()).map((d) => join(d.parentPath, d.name))
  } catch (err) {
    throw new UiError('NotFound', `expected the built page in ${dir}, found none: run npm run build`, { cause: err, context: { path: dir } })
  }
  for (const file of names) {
    const type = TYPES[extname(file)]
    if (type !== undefined) assets.set(`/${relative(dir, file).split(sep).join('/')}`, { body: new Uint8Array(await readFile(file)), type })
  }
  if (!assets.has('/index.html')) throw new UiError('NotFound', `expected index.html in ${dir}, found ${[...assets.keys()].join(', ') || 'nothing'}: run npm run build`, { context: { path: dir } })
  return assets
}
