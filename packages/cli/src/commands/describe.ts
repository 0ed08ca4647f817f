// `lake describe <uri>`: table details (Spark's DESCRIBE DETAIL) at a version or timestamp.

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
  const d = table.details()
  return {
    format: d.format,
    id: d.id,
    name: d.name ?? null,
    description: d.description ?? null,
    location: d.location,
    version: d.version,
    createdAt: isoTime(d.createdAt),
    lastModified: isoTime(d.lastModified),
    partitionColumns: d.partitionColumns,
    numFiles: d.numFiles,
    sizeInBytes: d.sizeInBytes,
    numRecords: d.numRecords ?? null,
    minReaderVersion: d.minReaderVersion,
    minWriterVersion: d.minWriterVersion,
    readerFeatures: d.readerFeatures,
    writerFeatures: d.writerFeatures,
    properties: d.properties,
  }
}
