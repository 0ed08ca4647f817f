// Turns a table location (URI, store or engine) into an Engine, and opens the latest snapshot
// when the table exists. The one place the table API touches `openStore`.

import { openStore } from '@lake/storage'
import type { ObjectStore, OpenStoreOptions } from '@lake/storage'
import { createEngine } from '../engine.js'
import type { Engine } from '../engine.js'
import { isLakeError } from '@lake/storage'
import { loadSnapshot } from '../snapshot/load-snapshot.js'
import type { Snapshot } from '../snapshot/snapshot.js'

/** A table location: a URI (path, `file://`, `s3://`), an `ObjectStore` rooted at the table, or an `Engine`. */
export type TableLocation = string | URL | ObjectStore | Engine

/** The engine of a table location. URIs are opened with `openStore`. */
export async function resolveTable(location: TableLocation, storage?: OpenStoreOptions): Promise<Engine> {
  if (typeof location === 'string' || location instanceof URL) return createEngine(await openStore(location, storage))
  if (isEngine(location)) return location
  return createEngine(location)
}

function isEngine(value: ObjectStore | Engine): value is Engine {
  return 'store' in value && typeof (value as Engine).now === 'function'
}

/** The latest snapshot, or `undefined` when no table exists at the location yet. */
export async function tryLoadSnapshot(engine: Engine, signal?: AbortSignal): Promise<Snapshot | undefined> {
  try {
    return await loadSnapshot(engine, signal === undefined ? {} : { signal })
  } catch (err) {
    if (isLakeError(err, 'TableNotFound')) return undefined
    throw err
  }
}
