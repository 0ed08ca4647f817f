// Output rendering: exact JSON values, cell texts, CSV quoting, aligned tables, and emitRecords /
// emitObject in every format.

import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { emitObject, emitRecords } from '../src/output/emit.js'
import type { Format } from '../src/output/emit.js'
import { csvLine } from '../src/output/csv.js'
import { Sink } from '../src/output/sink.js'
import { renderTable } from '../src/output/table.js'
import { cellText, jsonText } from '../src/output/values.js'

describe('jsonText', () => {
  it.each<[unknown, string]>([
    [12345678901234567890n, '12345678901234567890'],
    [-5n, '-5'],
    [1.5, '1.5'],
    [Number.NaN, '"NaN"'],
    [Number.POSITIVE_INFINITY, '"Infinity"'],
    ['12.340', '"12.340"'],
    [null, 'null'],
    [new Uint8Array([0, 255, 16]), '"AP8Q"'],
    [new Map([['a', 1n]]), '{"a":1}'],
    [new Map([[1, 'x']]), '[{"key":1,"value":"x"}]'],
    [[1, null, { b: true }], '[1,null,{"b":true}]'],
    [{ a: undefined, b: 2 }, '{"b":2}'],
  ])('renders %o as %s', (value, text) => {
    expect(jsonText(value)).toBe(text)
  })
})

describe('cellText', () => {
  it.each<[unknown, string]>([
    [9007199254740993n, '9007199254740993'],
    ['2024-01-02T12:30:00.123456Z', '2024-01-02T12:30:00.123456Z'],
    [null, ''],
    [false, 'false'],
    [new Uint8Array([104, 105]), 'aGk='],
    [{ x: [1, 2] }, '{"x":[1,2]}'],
  ])('renders %o as %s', (value, text) => {
    expect(cellText(value)).toBe(text)
  })
})

describe('csvLine', () => {
  it('quotes fields with commas, quotes, newlines and edge spaces', () => {
    expect(csvLine(['a', 'b,c', 'say "hi"', 'x\ny', ' pad', null])).toBe('a,"b,c","say ""hi""","x\ny"," pad",\n')
  })
})

describe('renderTable', () => {
  it('aligns columns to the widest cell and shows nulls with the null text', () => {
    const text = renderTable(['id', 'name'], [['1', 'alpha'], ['10', null]], { color: false, nullText: 'NULL' })
    expect(text).toBe('id  name\n--  -----\n1   alpha\n10  NULL\n')
  })

  it('bolds the header only with color on, and escapes newlines in cells', () => {
    const text = renderTable(['a'], [['x\ny']], { color: true, nullText: '' })
    expect(text).toContain('\u001b[1ma')
    expect(text).toContain('x\\ny')
  })
})

async function capture(format: Format, write: (out: { sink: Sink; format: Format; style: { color: boolean; nullText: string } }) => Promise<unknown>): Promise<string> {
  const stream = new PassThrough()
  const chunks: string[] = []
  stream.on('data', (c: Buffer) => chunks.push(c.toString()))
  await write({ sink: new Sink(stream), format, style: { color: false, nullText: '' } })
  return chunks.join('')
}

describe('emitRecords', () => {
  const batches = [[{ id: 1n, v: 'a' }], [{ id: 2n, v: null }]]
  it.each<[Format, string]>([
    ['ndjson', '{"id":1,"v":"a"}\n{"id":2,"v":null}\n'],
    ['json', '[\n{"id":1,"v":"a"},\n{"id":2,"v":null}\n]\n'],
    ['csv', 'id,v\n1,a\n2,\n'],
    ['table', 'id  v\n--  -\n1   a\n2\n'],
  ])('writes %s', async (format, expected) => {
    expect(await capture(format, (out) => emitRecords(out, ['id', 'v'], batches))).toBe(expected)
  })

  it('writes an empty JSON array and a header-only table for no records', async () => {
    expect(await capture('json', (out) => emitRecords(out, ['id'], []))).toBe('[]\n')
    expect(await capture('table', (out) => emitRecords(out, ['id'], []))).toBe('id\n--\n')
  })
})

describe('emitObject', () => {
  it.each<[Format, string]>([
    ['json', '{"version":3,"ids":[1,2]}\n'],
    ['csv', 'version,ids\n3,"[1,2]"\n'],
    ['table', 'version  3\nids      [1,2]\n'],
  ])('writes %s', async (format, expected) => {
    expect(await capture(format, (out) => emitObject(out, { version: 3, ids: [1, 2], skipped: undefined }))).toBe(expected)
  })
})
