// openStore: turns a table location (plain path, file:// URL, s3://bucket/prefix, or any registered
// scheme) into an ObjectStore. Must not import cloud SDKs: s3 is loaded on demand from @lake/storage-s3.

import { isAbsolute, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { StorageError } from './errors.js'
import { LocalStore } from './local-store.js'
import type { ObjectStore } from './object-store.js'

/** Options for `openStore`, passed as-is to the scheme's factory. */
export interface OpenStoreOptions {
  /** Settings for `s3://` stores, interpreted by `@lake/storage-s3` (client, region, endpoint, ...). */
  readonly s3?: Readonly<Record<string, unknown>>
  readonly [key: string]: unknown
}

/** Builds a store for one URL of a registered scheme. */
export type StoreFactory = (url: URL, options: OpenStoreOptions) => ObjectStore | Promise<ObjectStore>

const S3_PACKAGE = '@lake/storage-s3'
const S3_HINT = `s3:// URIs need the ${S3_PACKAGE} package: npm install ${S3_PACKAGE} @aws-sdk/client-s3`
const BUILT_IN: Readonly<Record<string, StoreFactory>> = {
  file: (url) => new LocalStore(fileUrlToPath(url)),
}
// The registry lives on globalThis under a registered symbol so that two copies of this package
// (a bundled one and the one @lake/storage-s3 imports) still share one set of schemes.
const REGISTRY_KEY = Symbol.for('@lake/storage:store-schemes')

/**
 * Registers (or replaces) the factory for a URL scheme, e.g. `registerStoreScheme('s3', ...)`.
 * @param scheme the scheme without ':' (case-insensitive).
 * @returns a function that removes this registration again (handy in tests).
 * @throws StorageError `InvalidArgument` when `scheme` is not a valid URL scheme.
 */
export function registerStoreScheme(scheme: string, factory: StoreFactory): () => void {
  const name = scheme.toLowerCase().replace(/:$/, '')
  if (!/^[a-z][a-z0-9+.-]*$/.test(name)) {
    const message = `invalid store scheme '${scheme}': expected a letter, then letters, digits, '+', '-' or '.'`
    throw new StorageError('InvalidArgument', message, { context: { method: 'registerStoreScheme' } })
  }
  registry().set(name, factory)
  return () => {
    if (registry().get(name) === factory) registry().delete(name)
  }
}

/**
 * Opens the store at `uri`: a plain path (relative paths resolve against the working directory),
 * a `file://` URL (percent-decoded), `s3://bucket/prefix` (loads `@lake/storage-s3` on first use),
 * or any scheme given to `registerStoreScheme`.
 * @throws StorageError `InvalidConfig` for an unknown scheme, a malformed URL, or s3 without its package.
 */
export async function openStore(uri: string | URL, options: OpenStoreOptions = {}): Promise<ObjectStore> {
  if (typeof uri === 'string' && isPlainPath(uri)) return new LocalStore(resolve(uri))
  const url = parseUrl(uri)
  const scheme = url.protocol.slice(0, -1).toLowerCase()
  let factory = registry().get(scheme) ?? BUILT_IN[scheme]
  if (factory === undefined && scheme === 's3') {
    await loadS3Package()
    factory = registry().get(scheme)
  }
  if (factory === undefined) {
    const expected = `a path or one of the schemes ${supportedSchemes().join(', ')}`
    throw invalidConfig(`unsupported store URI '${url.href}': expected ${expected}, found '${scheme}:'`, undefined, url.href)
  }
  return factory(url, options)
}

/** The schemes `openStore` understands right now (built-in, lazily loadable, and registered). */
export function supportedSchemes(): string[] {
  const names = new Set([...Object.keys(BUILT_IN), 's3', ...registry().keys()])
  return [...names].sort().map((name) => `${name}://`)
}

function registry(): Map<string, StoreFactory> {
  const holder = globalThis as { [REGISTRY_KEY]?: Map<string, StoreFactory> }
  holder[REGISTRY_KEY] ??= new Map()
  return holder[REGISTRY_KEY]
}

/** No `scheme:` in front (a Windows drive letter `C:` is a path, not a scheme). */
function isPlainPath(uri: string): boolean {
  if (uri.length === 0) throw invalidConfig("invalid store URI '': expected a path or a URL", undefined, uri)
  const scheme = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(uri)?.[1]
  return scheme === undefined || (scheme.length === 1 && isAbsolute(uri))
}

function parseUrl(uri: string | URL): URL {
  if (uri instanceof URL) return uri
  try {
    return new URL(uri)
  } catch (cause) {
    throw invalidConfig(`invalid store URI '${uri}': expected a path or a well-formed URL`, cause, uri)
  }
}

function fileUrlToPath(url: URL): string {
  try {
    return fileURLToPath(url)
  } catch (cause) {
    throw invalidConfig(`invalid file URL '${url.href}': expected file:///absolute/path with no host`, cause, url.href)
  }
}

async function loadS3Package(): Promise<void> {
  const name: string = S3_PACKAGE // a variable: TypeScript must not need the optional package's types
  try {
    await import(name)
  } catch (cause) {
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? cause.code : undefined
    if (code === 'ERR_MODULE_NOT_FOUND') throw invalidConfig(S3_HINT, cause)
    throw invalidConfig(`${S3_PACKAGE} failed to load: ${String(cause)}`, cause)
  }
  if (!registry().has('s3')) throw invalidConfig(`${S3_PACKAGE} loaded but registered no 's3' scheme`)
}

/** `uri` is set when the URI itself is malformed (`context.uri`), as opposed to the environment. */
function invalidConfig(message: string, cause?: unknown, uri?: string): StorageError {
  return new StorageError('InvalidConfig', message, { context: { method: 'openStore', ...(uri === undefined ? {} : { uri }) }, cause })
}
