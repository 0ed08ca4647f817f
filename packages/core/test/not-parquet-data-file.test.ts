// A data file that is not Parquet (no 'PAR1' at its start or end): every scan refuses it with a
// ParquetError naming the file, in the message and context.path, and what the file holds.

import { closeSync, fstatSync, openSync, readdirSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../src/index.js'
import { tempDir } from '../../../test/temp-dir.js'

const SCHEMA = { kind: 'struct' as const, fields: [{ name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: true, metadata: {} }] }

describe('a data file without the Parquet magic', () => {
  it.each<[string, 'start' | 'end']>([
    ['overwritten at the start', 'start'],
    ['overwritten at the end', 'end'],
  ])('%s: ParquetError naming the file, for rows and Arrow scans', async (_name, where) => {
    const dir = join(tempDir('lake-not-parquet-'), 't')
    await (await DeltaTable.create(dir, { schema: SCHEMA })).write([{ id: 1n }])
    const file = readdirSync(dir).find((name) => name.endsWith('.parquet')) as string
    const fd = openSync(join(dir, file), 'r+')
    const size = fstatSync(fd).size
    writeSync(fd, Buffer.from('JUNK'), 0, 4, where === 'start' ? 0 : size - 4)
    closeSync(fd)
    const table = await DeltaTable.open(dir)
    const expected = {
      name: 'ParquetError',
      code: 'ParquetError',
      message: `${file}: not a Parquet file: expected 'PAR1' at the ${where} of its ${size} bytes, found 'JUNK'`,
      context: { path: file },
    }
    await expect(table.toArray()).rejects.toMatchObject(expected)
    await expect(table.toArrow()).rejects.toMatchObject(expected)
  })
})
