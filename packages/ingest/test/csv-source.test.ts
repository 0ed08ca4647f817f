// CsvSource and csv-cast: typed cells, sample inference, record offsets across quoted newlines.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { castCell, CsvSource, inferCsvType } from '../src/index.js'
import type { SourceRecord } from '../src/index.js'
import { tempDir } from './temp-dir.js'

function file(text: string): string {
  const path = join(tempDir('lake-csv-'), 'in.csv')
  writeFileSync(path, text)
  return path
}

describe('castCell', () => {
  it.each([
    ['42', 'long', 42n],
    ['-7', 'integer', -7],
    ['1.5e3', 'double', 1500],
    ['TRUE', 'boolean', true],
    ['', 'long', null],
    ['2024-01-02', 'date', '2024-01-02'],
  ] as const)('casts %j to %s', (text, type, expected) => {
    expect(castCell(text, { kind: 'primitive', name: type }, 'c')).toEqual({ ok: true, value: expected })
  })

  it('rejects a cell that does not parse as its type, naming column and value', () => {
    expect(castCell('4x', { kind: 'primitive', name: 'long' }, 'id')).toEqual({ ok: false, message: `column 'id' expects long, found "4x"` })
  })
})

describe('inferCsvType', () => {
  it.each([
    [['1', '', '-2'], 'long'],
    [['1', '2.5'], 'double'],
    [['true', 'False'], 'boolean'],
    [['2024-01-01'], 'date'],
    [['2024-01-01T10:00:00Z'], 'timestamp'],
    [['1', 'x'], 'string'],
    [['', ''], 'string'],
  ])('infers %j as %s', (cells, name) => {
    expect(inferCsvType(cells)).toEqual({ kind: 'primitive', name })
  })
})

describe('CsvSource', () => {
  it('plans by records (quoted newlines included) and reads typed rows', async () => {
    const source = new CsvSource({ path: file('id,note,ok\n1,"two\nlines",true\n2,plain,false\n3,,true\n') })
    const start = await source.initialOffset()
    expect(start).toEqual({ line: 0, byte: 11 })
    const mid = await source.latestOffset(start, 1)
    const end = await source.latestOffset(mid, 5)
    expect(mid).toEqual({ line: 1, byte: 30 })
    expect(end).toMatchObject({ line: 3 })
    const records: SourceRecord[] = []
    for await (const r of source.read(start, end)) records.push(r)
    expect(records.map((r) => (r.kind === 'record' ? r.value : r))).toEqual([
      { id: 1n, note: 'two\nlines', ok: true },
      { id: 2n, note: 'plain', ok: false },
      { id: 3n, note: null, ok: true },
    ])
  })

  it('casts to the table schema when one is given', async () => {
    const source = new CsvSource({ path: file('id,v\n1,2\n') })
    const schema = { kind: 'struct' as const, fields: [{ name: 'v', type: { kind: 'primitive' as const, name: 'string' as const }, nullable: true, metadata: {} }] }
    const records: SourceRecord[] = []
    for await (const r of source.read(await source.initialOffset(), await source.latestOffset(await source.initialOffset(), undefined), { schema })) records.push(r)
    expect(records).toEqual([{ kind: 'record', value: { id: 1n, v: '2' }, position: 1 }])
  })
})
