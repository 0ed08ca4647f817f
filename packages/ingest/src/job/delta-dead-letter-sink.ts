// A dead-letter sink that appends to a Delta table, exactly once per batch: each write carries
// txn { appId: `<job appId>.dead-letters`, version: batchId }.

import type { TableLocation } from '@lake/core'
import type { StructType } from '@lake/parquet'
import { appendRows } from '../append/append-rows.js'
import type { DeadLetter, DeadLetterSink } from './dead-letter.js'

const STRING = { kind: 'primitive', name: 'string' } as const

/** Schema of a dead-letter table; `position` is the JSON of the source position. */
export const DEAD_LETTER_SCHEMA: StructType = {
  kind: 'struct',
  fields: [
    { name: 'appId', type: STRING, nullable: false, metadata: {} },
    { name: 'batchId', type: { kind: 'primitive', name: 'long' }, nullable: false, metadata: {} },
    { name: 'position', type: STRING, nullable: true, metadata: {} },
    { name: 'raw', type: STRING, nullable: true, metadata: {} },
    { name: 'code', type: STRING, nullable: false, metadata: {} },
    { name: 'message', type: STRING, nullable: true, metadata: {} },
    { name: 'rejectedAt', type: { kind: 'primitive', name: 'timestamp' }, nullable: false, metadata: {} },
  ],
}

/** Writes each batch's dead letters to a Delta table (created with `DEAD_LETTER_SCHEMA` when missing). */
export class DeltaDeadLetterSink implements DeadLetterSink {
  readonly #location: TableLocation

  constructor(location: TableLocation) {
    this.#location = location
  }

  async write(letters: readonly DeadLetter[], options: { signal?: AbortSignal } = {}): Promise<void> {
    const first = letters[0]
    if (first === undefined) return
    await appendRows(
      this.#location,
      letters.map((l) => ({ ...l, position: JSON.stringify(l.position) })),
      {
        schema: DEAD_LETTER_SCHEMA,
        encoders: 0,
        txn: { appId: `${first.appId}.dead-letters`, version: first.batchId },
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      },
    )
  }
}
