// Loads a codec from its `workerModule` (a module whose `createCodec()` builds it), once per module
// and thread: the encoder pool checks it on the calling thread, each worker builds its own codec.

import type { CreateCodec, ParquetCodec } from '@lake/parquet'
import { IngestError } from '../errors.js'

/**
 * What the pool sends as `codecModule` for the default codec: the worker uses its own copy (statically
 * imported, so bundled with it) instead of importing the codec by URL, which would load a second,
 * unbundled copy of @lake/parquet and apache-arrow beside the bundle's.
 */
export const BUILTIN_CODEC = 'lake:default-codec'

const loaded = new Map<string, Promise<CreateCodec>>()

/**
 * The `createCodec` export of `specifier` (a URL or a module specifier), imported once.
 * @throws IngestError `InvalidArgument` when the module cannot be imported or exports no
 *   `createCodec` function (`context.module`).
 */
export function codecFactory(specifier: string): Promise<CreateCodec> {
  let factory = loaded.get(specifier)
  if (factory === undefined) {
    factory = importFactory(specifier)
    loaded.set(specifier, factory)
  }
  return factory
}

/** The codec `specifier`'s `createCodec()` builds. @throws see `codecFactory`. */
export async function codecFromModule(specifier: string): Promise<ParquetCodec> {
  return (await codecFactory(specifier))()
}

async function importFactory(specifier: string): Promise<CreateCodec> {
  let module: { readonly createCodec?: unknown }
  try {
    module = (await import(specifier)) as { readonly createCodec?: unknown }
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err)
    throw new IngestError('InvalidArgument', `codec workerModule: expected an importable module, '${specifier}' failed: ${reason}`, { context: { module: specifier }, cause: err })
  }
  const create = module.createCodec
  if (typeof create !== 'function') {
    throw new IngestError('InvalidArgument', `codec workerModule: expected '${specifier}' to export a createCodec function, found ${typeof create}`, { context: { module: specifier } })
  }
  return create as CreateCodec
}
