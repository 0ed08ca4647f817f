// The source options `lake stream` and `lake tail` share: starting point, batch limits, how
// non-append commits are treated, projection and filter, mapped to `StreamOptions`.

import type { Command } from 'commander'
import type { StreamOptions } from '@lake/core'
import { flag, listOpt, numberOpt, stringOpt } from '../context.js'
import type { Options } from '../context.js'
import { byteSize, commaList, positiveInt } from '../parse-args.js'
import { parseTimestampArg } from '../timestamp.js'
import { UsageError } from '../usage-error.js'

/** Adds the source options to a command. */
export function withSourceOptions(cmd: Command): Command {
  return cmd
    .option('--starting-timestamp <t>', 'only commits at or after this time (ISO-8601, date, or epoch ms)')
    .option('--max-files <n>', 'files per batch (default 1000; a file is never split)', positiveInt('--max-files'))
    .option('--max-bytes <size>', 'bytes per batch, soft (128MiB, 256MB; a batch holds at least one file)', byteSize('--max-bytes'))
    .option('--ignore-deletes', 'skip source commits that only delete files or partitions')
    .option('--ignore-changes', 're-emit files rewritten by UPDATE/MERGE/DELETE/overwrite (unchanged rows come again: duplicates)')
    .option('--skip-change-commits', 'skip every source commit that removes or rewrites files')
    .option('--allow-schema-change', 'go on with the new schema when the source schema changes (default: stop)')
    .option('--change-feed', 'stream the change data feed: rows with _change_type, _commit_version, _commit_timestamp (the starting snapshot as inserts)')
    .option('--columns <a,b>', 'only these top-level columns', commaList('--columns'))
    .option('--where <expr>', "only rows matching a predicate: day = '2024-01-01' AND id > 10")
}

/** The StreamOptions of the parsed flags (`startingVersion` from `versionFlag`). */
export function sourceOptions(options: Options, startingVersion: number | 'latest' | undefined, signal: AbortSignal): StreamOptions {
  const timestamp = stringOpt(options, 'startingTimestamp')
  if (timestamp !== undefined && startingVersion !== undefined) throw new UsageError('expected at most one of --starting-version/--from-version and --starting-timestamp, found both')
  const columns = listOpt(options, 'columns')
  const where = stringOpt(options, 'where')
  const maxFiles = numberOpt(options, 'maxFiles')
  const maxBytes = numberOpt(options, 'maxBytes')
  return {
    signal,
    ...(startingVersion === undefined ? {} : { startingVersion }),
    ...(timestamp === undefined ? {} : { startingTimestamp: parseTimestampArg(timestamp) }),
    ...(maxFiles === undefined ? {} : { maxFilesPerTrigger: maxFiles }),
    ...(maxBytes === undefined ? {} : { maxBytesPerTrigger: maxBytes }),
    ...(flag(options, 'ignoreDeletes') ? { ignoreDeletes: true } : {}),
    ...(flag(options, 'ignoreChanges') ? { ignoreChanges: true } : {}),
    ...(flag(options, 'skipChangeCommits') ? { skipChangeCommits: true } : {}),
    ...(flag(options, 'allowSchemaChange') ? { allowSchemaChange: true } : {}),
    ...(flag(options, 'changeFeed') ? { readChangeFeed: true } : {}),
    ...(columns === undefined ? {} : { columns }),
    ...(where === undefined ? {} : { filter: where }),
  }
}

/** A parser of `--starting-version`: a version or `latest`. */
export function startingVersionArg(flagName: string): (text: string) => number | 'latest' {
  return (text) => {
    if (text === 'latest') return 'latest'
    const n = Number(text)
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n)) throw new UsageError(`${flagName}: expected a non-negative integer or 'latest', found '${text}'`)
    return n
  }
}
