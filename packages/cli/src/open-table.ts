// Opens the table a command names at the requested version or timestamp, loading the S3 backend
// only for s3:// URIs. The version a --timestamp resolved to is reported on stderr.

import type { DeltaTable, Engine } from '@lake/core'
import { LakeError } from '@lake/storage'
import type { Context, Options } from './context.js'
import { numberOpt, stringOpt } from './context.js'
import { parseTimestampArg } from './timestamp.js'
import { UsageError } from './usage-error.js'

/** Registers the s3:// scheme the first time an s3:// URI is used. */
export async function prepareScheme(uri: string): Promise<void> {
  if (/^s3:\/\//i.test(uri)) await import('@lake/storage-s3')
}

const URI_HINT = 'a table URI is a directory path, file:///absolute/path or s3://bucket/prefix'

/**
 * The engine of a table URI (no snapshot is loaded).
 * @throws UsageError (exit 2) when the URI itself is malformed (`''`, `s3://`): the store says so with `context.uri`.
 */
export async function engineFor(ctx: Context, uri: string, options: Options): Promise<Engine> {
  try {
    await prepareScheme(uri)
    const { resolveTable } = await import('@lake/core/internal')
    const engine = await resolveTable(uri, ctx.storage(options))
    return { store: engine.store, ...(engine.codec === undefined ? {} : { codec: engine.codec }), now: () => ctx.now() }
  } catch (err) {
    if (err instanceof LakeError && err.code === 'InvalidConfig' && err.context.uri !== undefined) throw new UsageError(err.message, URI_HINT, { cause: err })
    throw err
  }
}

/** The latest version of the table a URI names (for the maintenance commands, which act on it). */
export async function latestTable(ctx: Context, uri: string, options: Options): Promise<DeltaTable> {
  const engine = await engineFor(ctx, uri, options)
  const { DeltaTable } = await import('@lake/core')
  return DeltaTable.open(engine, { signal: ctx.signal })
}

/** The table at `--version`, `--timestamp`, or its latest version. */
export async function openTable(ctx: Context, uri: string, options: Options): Promise<DeltaTable> {
  const engine = await engineFor(ctx, uri, options)
  const { DeltaTable } = await import('@lake/core')
  const version = numberOpt(options, 'version')
  const timestampText = stringOpt(options, 'timestamp')
  if (timestampText === undefined) {
    return DeltaTable.open(engine, { signal: ctx.signal, ...(version === undefined ? {} : { version }) })
  }
  const timestamp = parseTimestampArg(timestampText)
  const table = await DeltaTable.open(engine, { timestamp, signal: ctx.signal })
  ctx.diag(`timestamp ${new Date(timestamp).toISOString()} resolved to version ${table.version}`)
  return table
}
