// `lake history <uri>`: the commit history, newest first (Spark's DESCRIBE HISTORY columns).

import type { Command } from 'commander'
import type { HistoryEntry, HistoryLog } from '@lake/core'
import { numberOpt, withCommonOptions } from '../context.js'
import type { Context, Options } from '../context.js'
import { engineFor } from '../open-table.js'
import { emitRecords } from '../output/emit.js'
import type { OutRecord } from '../output/emit.js'
import { isoTime } from '../output/values.js'
import { positiveInt } from '../parse-args.js'

const TABLE_COLUMNS = ['version', 'timestamp', 'operation', 'parameters', 'readVersion', 'isBlindAppend', 'rowsAdded', 'rowsRemoved', 'filesAdded', 'filesRemoved', 'engine']
const JSON_COLUMNS = ['version', 'timestamp', 'operation', 'operationParameters', 'operationMetrics', 'readVersion', 'isolationLevel', 'isBlindAppend', 'userMetadata', 'engineInfo']

/** Registers `history`. */
export function registerHistory(program: Command, ctx: Context): void {
  withCommonOptions(program.command('history').argument('<uri>', 'table URI (path, file:// or s3://)'))
    .description('show the commit history, newest first')
    .option('--limit <n>', 'show at most N commits', positiveInt('--limit'))
    .addHelpText('after', `
Columns: version, timestamp, operation, parameters, readVersion, isBlindAppend,
rows/files added and removed (from operationMetrics), engine. --format json/ndjson
gives the full operationParameters and operationMetrics. On a table whose log was
cleaned up to a checkpoint, the commits it kept are listed and a note on stderr
says from which version history is available.

Examples:
  lake history ./events --limit 5
  lake history s3://lake/events --format ndjson | jq .operation`)
    .action(async (uri: string, options: Options) => {
      const engine = await engineFor(ctx, uri, options)
      const { DeltaTable } = await import('@lake/core')
      const table = await DeltaTable.open(engine, { signal: ctx.signal })
      const limit = numberOpt(options, 'limit')
      const log = await table.historyLog({ signal: ctx.signal, ...(limit === undefined ? {} : { limit }) })
      const entries = log.entries
      if (log.startCheckpoint !== undefined) ctx.diag(retentionNote(log))
      const out = ctx.output(options, 'ndjson')
      const wide = out.format === 'json' || out.format === 'ndjson'
      await emitRecords(out, wide ? JSON_COLUMNS : TABLE_COLUMNS, [entries.map((e) => (wide ? fullRecord(e) : summaryRecord(e)))])
    })
}

/** Says which history the cleaned-up log no longer has (Spark's DESCRIBE HISTORY shows what is retained). */
function retentionNote(log: HistoryLog): string {
  const kept = log.entries.length === 0 ? 'no commit file remains' : `commits from version ${log.availableFrom} remain`
  return `note: history before version ${log.availableFrom} is not available: the log starts at the checkpoint of version ${log.startCheckpoint ?? 0} (older commits were cleaned up); ${kept}`
}

function fullRecord(e: HistoryEntry): OutRecord {
  return { ...e, commitInfo: undefined, timestamp: isoTime(e.timestamp) }
}

function summaryRecord(e: HistoryEntry): OutRecord {
  const m = e.operationMetrics ?? {}
  return {
    version: e.version,
    timestamp: isoTime(e.timestamp),
    operation: e.operation ?? null,
    parameters: compactParameters(e.operationParameters),
    readVersion: e.readVersion ?? null,
    isBlindAppend: e.isBlindAppend ?? null,
    rowsAdded: metric(m, ['numOutputRows', 'numTargetRowsInserted', 'numCopiedRows']),
    rowsRemoved: metric(m, ['numDeletedRows', 'numTargetRowsDeleted']),
    filesAdded: metric(m, ['numFiles', 'numAddedFiles', 'numFilesAdded', 'num_restored_files']),
    filesRemoved: metric(m, ['numRemovedFiles', 'numFilesRemoved', 'num_removed_files']),
    engine: e.engineInfo ?? null,
  }
}

/** `k=v k=v`, values as written (Spark encodes lists as JSON text). */
function compactParameters(params: Readonly<Record<string, unknown>> | undefined): string | null {
  if (params === undefined) return null
  return Object.entries(params)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ')
}

function metric(metrics: Readonly<Record<string, unknown>>, keys: readonly string[]): string | null {
  for (const key of keys) {
    const v = metrics[key]
    if (typeof v === 'string' || typeof v === 'number') return String(v)
  }
  return null
}
