// `lake files <uri>`: the live data files of a version with partition values, size and row count.

import type { Command } from 'commander'
import type { AddFile } from '@lake/core'
import { withCommonOptions, withTimeTravel } from '../context.js'
import type { Context, Options } from '../context.js'
import { openTable } from '../open-table.js'
import { emitRecords } from '../output/emit.js'
import type { OutRecord } from '../output/emit.js'
import { isoTime } from '../output/values.js'
import { nonNegativeInt } from '../parse-args.js'

const COLUMNS = ['path', 'partitionValues', 'size', 'modificationTime', 'numRecords', 'deletedRows']

/** Registers `files`. */
export function registerFiles(program: Command, ctx: Context): void {
  withTimeTravel(withCommonOptions(program.command('files').argument('<uri>', 'table URI')), nonNegativeInt('--version'))
    .description('list the live data files of a version')
    .addHelpText('after', `
Columns: path (as in the log), partitionValues, size (bytes), modificationTime,
numRecords (live rows, from stats), deletedRows (deletion vector cardinality).

Examples:
  lake files ./events
  lake files ./events --timestamp 2024-05-01 --format csv > files.csv`)
    .action(async (uri: string, options: Options) => {
      const table = await openTable(ctx, uri, options)
      const { liveRowCount } = await import('@lake/core/internal')
      const out = ctx.output(options, 'ndjson')
      const files = [...table.files()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      await emitRecords(out, COLUMNS, [files.map((f) => fileRecord(f, out.format === 'table' || out.format === 'csv', liveRowCount))])
    })
}

function fileRecord(f: AddFile, flat: boolean, liveRowCount: (f: AddFile) => number | undefined): OutRecord {
  return {
    path: f.path,
    partitionValues: flat ? Object.entries(f.partitionValues).map(([k, v]) => `${k}=${v ?? 'null'}`).join(',') : f.partitionValues,
    size: f.size,
    modificationTime: isoTime(f.modificationTime),
    numRecords: liveRowCount(f) ?? null,
    deletedRows: f.deletionVector?.cardinality ?? 0,
  }
}
