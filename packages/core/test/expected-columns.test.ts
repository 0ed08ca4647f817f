// The "expected one of ..." of unknown-column messages (schema/expected-columns.ts): a sentence when
// there is nothing to list, the first 20 names of a long list, and the same text at every call site
// (scan columns, predicates, UPDATE's set, the change feed's columns).

import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { DataType, StructField, StructType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import { DeltaTable } from '../src/index.js'
import { bindPredicate } from '../src/expr/index.js'
import { expectedOneOf } from '../src/schema/expected-columns.js'
import { findField, resolveColumnNames } from '../src/schema/find-field.js'
import { tempDir } from '../../../test/temp-dir.js'

const LONG: DataType = { kind: 'primitive', name: 'long' }
const field = (name: string, type: DataType = LONG): StructField => ({ name, type, nullable: true, metadata: {} })
const names = (n: number): string[] => Array.from({ length: n }, (_, i) => `c${i}`)
const WIDE: StructType = { kind: 'struct', fields: names(25).map((n) => field(n)) }
const FIRST_20 = names(20).join(', ')

describe('expectedOneOf', () => {
  it.each<[string, string[], string]>([
    ['no names', [], "expected one of the table's columns, but the table has no columns"],
    ['one name', ['id'], 'expected one of id'],
    ['20 names', names(20), `expected one of ${FIRST_20}`],
    ['21 names', names(21), `expected one of ${FIRST_20} ... and 1 more`],
    ['25 names', names(25), `expected one of ${FIRST_20} ... and 5 more`],
  ])('%s', (_name, list, text) => {
    expect(expectedOneOf(list)).toBe(text)
  })

  it('names what is missing when told', () => {
    expect(expectedOneOf([], "the fields of 's'", 'the struct has no fields')).toBe("expected one of the fields of 's', but the struct has no fields")
  })
})

describe('findField and resolveColumnNames', () => {
  const fields = [field('id'), field('Name'), field('name'), field('Day')]

  it('prefers the exact name, else the first match ignoring case', () => {
    expect(findField(fields, 'name')?.name).toBe('name')
    expect(findField(fields, 'NAME')?.name).toBe('Name')
    expect(findField(fields, 'day')?.name).toBe('Day')
    expect(findField(fields, 'nope')).toBeUndefined()
    expect(resolveColumnNames(fields, ['DAY', 'id'])).toEqual(['Day', 'id'])
  })

  it('refuses an unknown name with InvalidArgument naming it and the columns', () => {
    expect(() => resolveColumnNames(fields, ['id', 'nope'])).toThrow(
      expect.objectContaining({ code: 'InvalidArgument', message: "unknown column 'nope': expected one of id, Name, name, Day", context: { column: 'nope' } }),
    )
  })
})

describe('unknown-column messages', () => {
  it('a predicate: the first 20 columns, an empty table, an empty struct', () => {
    expect(() => bindPredicate('nope = 1', WIDE)).toThrow(
      expect.objectContaining({ code: 'InvalidPredicate', message: expect.stringContaining(`unknown column 'nope': expected one of ${FIRST_20} ... and 5 more`) }),
    )
    expect(() => bindPredicate('nope = 1', { kind: 'struct', fields: [] })).toThrow(
      expect.objectContaining({ message: expect.stringContaining("unknown column 'nope': expected one of the table's columns, but the table has no columns") }),
    )
    const empty: StructType = { kind: 'struct', fields: [field('s', { kind: 'struct', fields: [] })] }
    expect(() => bindPredicate('s.x = 1', empty)).toThrow(
      expect.objectContaining({ message: expect.stringContaining("unknown column 's.x': expected one of the fields of 's', but the struct has no fields"), context: expect.objectContaining({ column: 's.x' }) }),
    )
  })

  it('scan columns, UPDATE set and change-feed columns of a 25-column table list the first 20', async () => {
    const dir = join(tempDir('lake-expected-'), 'wide')
    const table = await DeltaTable.create(dir, { schema: WIDE, configuration: { 'delta.enableChangeDataFeed': 'true' } })
    await table.write([Object.fromEntries(names(25).map((n) => [n, 1n]))])
    const opened = await DeltaTable.open(dir)
    const expected = `expected one of ${FIRST_20} ... and 5 more`
    await expect(opened.toArray({ columns: ['nope'] })).rejects.toMatchObject({ code: 'InvalidArgument', message: `unknown column 'nope': ${expected}`, context: { column: 'nope' } })
    await expect(opened.update({ set: { nope: '1' } })).rejects.toMatchObject({ code: 'InvalidArgument', message: `update: unknown column 'nope' in set: ${expected}`, context: { column: 'nope' } })
    // the change feed's columns are the table's and _change_type, _commit_version, _commit_timestamp
    await expect(opened.changes({ startingVersion: 1, columns: ['nope'] }).toArray()).rejects.toMatchObject({
      code: 'InvalidArgument',
      message: `unknown column 'nope': expected one of ${FIRST_20} ... and 8 more`,
      context: { column: 'nope' },
    })
    expect((await DeltaTable.open(dir)).version).toBe(1)
  })

  it('a table whose schema has no columns (written by another engine) says so', async () => {
    const dir = join(tempDir('lake-expected-'), 'empty')
    mkdirSync(join(dir, '_delta_log'), { recursive: true })
    const schemaString = JSON.stringify({ type: 'struct', fields: [] })
    const actions = [
      { protocol: { minReaderVersion: 1, minWriterVersion: 2 } },
      { metaData: { id: 'empty', format: { provider: 'parquet', options: {} }, schemaString, partitionColumns: [], configuration: {}, createdTime: 0 } },
    ]
    writeFileSync(join(dir, '_delta_log', '00000000000000000000.json'), actions.map((a) => JSON.stringify(a)).join('\n'))
    const table = await DeltaTable.open(dir)
    const none = "expected one of the table's columns, but the table has no columns"
    await expect(table.toArray({ columns: ['x'] })).rejects.toMatchObject({ code: 'InvalidArgument', message: `unknown column 'x': ${none}` })
    await expect(table.toArray({ filter: 'x = 1' })).rejects.toMatchObject({ code: 'InvalidPredicate', message: expect.stringContaining(`unknown column 'x': ${none}`) })
  })
})
