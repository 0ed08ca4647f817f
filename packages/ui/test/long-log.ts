// A table with a long log, written as commit JSON directly (fast): version 0 creates it, every
// later version appends one file of 10 rows with commitInfo metrics. No data files are written
// (the history, version and overview views never read them).

import { mapConcurrent } from '@lake/storage'
import type { ObjectStore } from '@lake/storage'

const SCHEMA = JSON.stringify({ type: 'struct', fields: [{ name: 'id', type: 'long', nullable: true, metadata: {} }] })
const BASE_TIME = Date.UTC(2024, 0, 1)

/** The lines of commit `version`. */
function commitText(version: number): string {
  const time = BASE_TIME + version * 60_000
  const lines: unknown[] = [
    { commitInfo: { timestamp: time, operation: 'WRITE', operationParameters: { mode: 'Append' }, operationMetrics: { numFiles: '1', numOutputRows: '10', numOutputBytes: '1000' }, isBlindAppend: true, engineInfo: 'long-log-test' } },
  ]
  if (version === 0) {
    lines.push({ protocol: { minReaderVersion: 1, minWriterVersion: 2 } })
    lines.push({ metaData: { id: '00000000-0000-0000-0000-000000010000', format: { provider: 'parquet', options: {} }, schemaString: SCHEMA, partitionColumns: [], configuration: {}, createdTime: BASE_TIME } })
  }
  lines.push({ add: { path: `part-${String(version).padStart(5, '0')}.parquet`, partitionValues: {}, size: 1000, modificationTime: time, dataChange: true, stats: '{"numRecords":10}' } })
  return lines.map((l) => JSON.stringify(l)).join('\n') + '\n'
}

/** Writes commits `0 .. commits - 1` into `store`'s `_delta_log/`. */
export async function writeLongLog(store: ObjectStore, commits: number, concurrency = 32): Promise<void> {
  const encoder = new TextEncoder()
  const versions = Array.from({ length: commits }, (_, v) => v)
  await mapConcurrent(versions, concurrency, (v) => store.put(`_delta_log/${String(v).padStart(20, '0')}.json`, encoder.encode(commitText(v))))
}
