// The Engine: every piece of I/O, the Parquet codec and the clock @lake/core uses, injected as the
// first argument. The pure core (actions, schema, protocol, replay) never sees it. The only module of
// core that imports a codec implementation (the default); the rest import `ParquetCodec` as a type.
// Also turns a table location (URI, store or engine) into an Engine: the one place the table API
// touches `openStore`.

import { hyparquetCodec } from '@lake/parquet/rows'
import type { ParquetCodec } from '@lake/parquet'
import { openStore } from '@lake/storage'
import type { ObjectStore, OpenStoreOptions } from '@lake/storage'

/** What the read and write paths of @lake/core may touch. */
export interface Engine {
  /** The table's store, rooted at the table directory (keys like `_delta_log/00000000000000000000.json`). */
  readonly store: ObjectStore
  /**
   * The Parquet codec of data files and checkpoints. Engines from `createEngine` always carry one; an
   * engine object built by hand without it uses `DEFAULT_CODEC` (see `engineCodec`).
   */
  readonly codec?: ParquetCodec
  /** The current time in epoch milliseconds. The only clock the core reads. */
  now(): number
}

/** The codec of engines that name none: hyparquet. */
export const DEFAULT_CODEC: ParquetCodec = hyparquetCodec as ParquetCodec

/** Options of `createEngine`. */
export interface EngineOptions {
  /** The clock; defaults to `Date.now`. Tests pass a fixed clock. */
  readonly now?: () => number
  /**
   * The Parquet codec; defaults to `DEFAULT_CODEC` (hyparquet). A codec that needs async set-up
   * (wasm) is created first: `createEngine(store, { codec: await createWasmCodec() })`.
   */
  readonly codec?: ParquetCodec
}

/**
 * An `Engine` over a store rooted at a table.
 * @param store - The table's store (its root is the table directory).
 */
export function createEngine(store: ObjectStore, options: EngineOptions = {}): Engine {
  const now = options.now ?? Date.now
  return { store, codec: options.codec ?? DEFAULT_CODEC, now: () => now() }
}

/** The engine's codec, or `DEFAULT_CODEC` for a hand-built engine without one. */
export function engineCodec(engine: Engine): ParquetCodec {
  return engine.codec ?? DEFAULT_CODEC
}

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
