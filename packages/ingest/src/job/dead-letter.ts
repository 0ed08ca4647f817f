// Dead-letter sinks: where rejected records go (raw input, error, source position, batch),
// with an NDJSON file sink. The Delta-table sink is in delta-dead-letter-sink.ts.

import { appendFile } from 'node:fs/promises'
import { dirname, resolve } from 'node:path'
import { makeDirs } from '@lake/storage'
import type { JsonValue } from '../types.js'

/** One rejected record. */
export interface DeadLetter {
  readonly appId: string
  readonly batchId: number
  /** Where in the source (line number, page and index, ...). */
  readonly position: JsonValue
  /** The raw input (the line, or the record as JSON). */
  readonly raw: string
  /** A `LakeErrorCode` or a source code (`InvalidJson`, `NotAnObject`, ...). */
  readonly code: string
  readonly message: string
  /** ISO-8601 time of rejection. */
  readonly rejectedAt: string
}

/**
 * Receives the dead letters of one batch, before the batch's data commit. Delivery is
 * at-least-once unless the sink dedupes by `(appId, batchId)` (the Delta sink does, with a txn):
 * a batch re-read after a crash rejects the same records again.
 */
export interface DeadLetterSink {
  write(letters: readonly DeadLetter[], options?: { signal?: AbortSignal }): Promise<void>
}

/** Appends dead letters as NDJSON lines to a local file (created with its directory). At-least-once. */
export class NdjsonDeadLetterSink implements DeadLetterSink {
  readonly path: string

  constructor(path: string) {
    this.path = resolve(path)
  }

  async write(letters: readonly DeadLetter[]): Promise<void> {
    if (letters.length === 0) return
    await makeDirs(dirname(this.path))
    await appendFile(this.path, letters.map((l) => JSON.stringify(l) + '\n').join(''))
  }
}

/** JSON of a record for the `raw` field (bigint as string, bytes as base64). */
export function rawOf(value: unknown): string {
  try {
    return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? v.toString() : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)) ?? String(value)
  } catch {
    return String(value)
  }
}
