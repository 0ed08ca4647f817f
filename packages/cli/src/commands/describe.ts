// `lake describe <uri>`: table details (Spark's DESCRIBE DETAIL) at a version or timestamp.

import { liveRowCount } from '@lake/core/internal'
import type { Command } from 'commander'
import type { DeltaTable } from '@lake/core'
import { withCommonOptions, withTimeTravel } from '../context.js'
import type { Context, Options } from '../context.js'
import { openTable } from '../open-table.js'
import { emitObject } from '../output/emit.js'
import { isoTime } from '../output/values.js'
import { nonNegativeInt } from '../parse-args.js'

/** Registers `describe`. */
export function registerDescribe(program: Command, ctx: Context): void {
  withTimeTravel(withCommonOptions(program.command('describe').argument('<uri>', 'table URI')), nonNegativeInt('--version'))
    .description('show table details: id, location, size, files, protocol, features, properties')
    .addHelpText('after', `
numRecords is the sum of per-file stats minus deleted rows; null when a file has no stats.

Examples:
  lake describe ./events
  lake describe ./events --version 3 --format json`)
    .action(async (uri: string, options: Options) => {
      const table = await openTable(ctx, uri, options)
      await emitObject(ctx.output(options, 'json'), detail(table))
    })
}

function detail(table: DeltaTable): Record<string, unknown> {
  const { metadata, protocol, snapshot } = table
  const files = table.files()
  let numRecords: number | null = 0
  for (const f of files) {
    const n = liveRowCount(f) ?? null
    numRecords = n === null || numRecords === null ? null : numRecords + n
  }
  return {
    format: metadata.format.provider === 'parquet' ? 'delta' : metadata.format.provider,
    id: metadata.id,
    name: metadata.name ?? null,
    description: metadata.description ?? null,
    location: snapshot.tableUrl,
    version: table.version,
    createdAt: isoTime(metadata.createdTime),
    lastModified: isoTime(snapshot.timestamp),
    partitionColumns: table.partitionColumns,
    numFiles: files.length,
    sizeInBytes: files.reduce((n, f) => n + f.size, 0),
    numRecords,
    minReaderVersion: protocol.minReaderVersion,
    minWriterVersion: protocol.minWriterVersion,
    readerFeatures: protocol.readerFeatures ?? [],
    writerFeatures: protocol.writerFeatures ?? [],
    properties: metadata.configuration,
  }
}
