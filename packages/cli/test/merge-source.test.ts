// `lake merge`'s columnar source (commands/merge-source.ts): an NDJSON or CSV input of the table's flat
// columns becomes one Arrow batch with the values the row path gives (key order, nulls, escapes,
// numbers written as doubles, dates, a byte order mark, quoted cells, CRLF); every input only the row
// path reads exactly (--schema-mode merge, a column no record has, a value, key or header column the
// columns refuse, a malformed record, bytes that are not UTF-8, a column type the line parser does not
// take) gives undefined, so the row path runs.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { StructType } from '@lake/core'
import { columnarMergeSource } from '../src/commands/merge-source.js'

const f = (name: string, type: string, nullable = true): StructType['fields'][number] => ({ name, type: { kind: 'primitive', name: type } as never, nullable, metadata: { 'delta.columnMapping.id': 1 } })
const SCHEMA: StructType = { kind: 'struct', fields: [f('id', 'long', false), f('n', 'integer'), f('x', 'double'), f('s', 'string'), f('ok', 'boolean'), f('day', 'date')] }

const dir = mkdtempSync(join(tmpdir(), 'lake-merge-source-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

let files = 0
/** The columnar source of `text` written to a file (NDJSON unless told otherwise). */
async function sourceOf(text: string | Uint8Array, options: { format?: 'ndjson' | 'csv'; schemaMode?: boolean; schema?: StructType } = {}): Promise<unknown> {
  const path = join(dir, `input-${files++}`)
  writeFileSync(path, text)
  const bytes = typeof text === 'string' ? Buffer.byteLength(text) : text.length
  const batch = await columnarMergeSource({ path, bytes, format: options.format ?? 'ndjson', schema: options.schema ?? SCHEMA, schemaMode: options.schemaMode ?? false })
  return batch?.toArray().map((r) => ({ ...r.toJSON() }))
}

describe('columnarMergeSource', () => {
  it('reads NDJSON lines into the table\'s columns, every one nullable, with the values the row path gives', async () => {
    const lines = [
      '\ufeff{"id":1,"n":2,"x":0.5,"s":"a","ok":true,"day":"2024-02-29"}',
      '{"day":"1999-12-31","ok":false,"s":"tab\\there \\u00e9","x":1e3,"n":null,"id":9007199254740993}',
      '',
      '{"id":3,"x":7,"s":null}',
    ]
    expect(await sourceOf(`${lines.join('\n')}\n`)).toEqual([
      { id: 1n, n: 2, x: 0.5, s: 'a', ok: true, day: 19782 },
      { id: 9007199254740993n, n: null, x: 1000, s: 'tab\there é', ok: false, day: 10956 },
      { id: 3n, n: null, x: 7, s: null, ok: null, day: null },
    ].map((r) => ({ ...r, day: r.day === null ? null : r.day * 86_400_000 })))
  })

  it('reads CSV records into the table\'s columns with the values the row path gives (header order, quotes, CRLF, empty cells)', async () => {
    const text = '\ufeffday,ok,s,x,n,id\r\n2024-02-29,true,"a, ""quoted""\r\nline",0.5,2,1\r\n,false,,1e3,,9007199254740993\r\n1999-12-31,,tab\there é,7,-3,3'
    expect(await sourceOf(text, { format: 'csv' })).toEqual([
      { id: 1n, n: 2, x: 0.5, s: 'a, "quoted"\r\nline', ok: true, day: 19782 * 86_400_000 },
      { id: 9007199254740993n, n: null, x: 1000, s: null, ok: false, day: null },
      { id: 3n, n: -3, x: 7, s: 'tab\there é', ok: null, day: 10956 * 86_400_000 },
    ])
  })

  it.each([
    ['a CSV column the table lacks', 'id,n,x,s,ok,day,extra\n1,2,0.5,a,true,2024-01-01,1\n'],
    ['a CSV column named in another case', 'ID,n,x,s,ok,day\n1,2,0.5,a,true,2024-01-01\n'],
    ['a CSV column no record fills', 'id,n,x,s,ok\n1,2,0.5,a,true\n'],
    ['a CSV cell its column refuses', 'id,n,x,s,ok,day\n1,2,0.5,a,true,2024-01-01\n2,two,1,b,false,2024-01-02\n'],
    ['a CSV record with another number of cells', 'id,n,x,s,ok,day\n1,2,0.5,a,true\n'],
    ['a CSV header only', 'id,n,x,s,ok,day\n'],
  ])('leaves %s to the row path', async (_name, text) => {
    expect(await sourceOf(text, { format: 'csv' })).toBeUndefined()
  })

  it.each([
    ['--schema-mode merge', '{"id":1,"n":2,"x":0.5,"s":"a","ok":true,"day":"2024-01-01"}\n', { schemaMode: true }],
    ['a column no line has', '{"id":1,"n":2,"x":0.5,"s":"a","ok":true}\n{"id":2,"n":null,"x":1,"s":"b","ok":false}\n', {}],
    ['a value its column refuses', '{"id":1,"n":2,"x":0.5,"s":"a","ok":true,"day":"2024-01-01"}\n{"id":2,"n":"two","x":1,"s":"b","ok":false,"day":"2024-01-02"}\n', {}],
    ['a key the table lacks', '{"id":1,"n":2,"x":0.5,"s":"a","ok":true,"day":"2024-01-01","extra":1}\n', {}],
    ['a line that is not JSON', '{"id":1,"n":2,"x":0.5,"s":"a","ok":true,"day":"2024-01-01"}\n{"id":\n', {}],
    ['an empty input', '', {}],
    ['a column type the line parser does not take', '{"id":1,"at":"2024-01-01T00:00:00Z"}\n', { schema: { kind: 'struct', fields: [f('id', 'long'), f('at', 'timestamp')] } as StructType }],
  ])('leaves %s to the row path', async (_name, text, options) => {
    expect(await sourceOf(text, options)).toBeUndefined()
  })

  it('leaves bytes that are not UTF-8 to the row path', async () => {
    const line = Buffer.from('{"id":1,"n":2,"x":0.5,"s":"a","ok":true,"day":"2024-01-01"}\n')
    expect(await sourceOf(Buffer.concat([line, Buffer.from([0x7b, 0x22, 0x73, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d, 0x0a])]))).toBeUndefined()
    expect(await sourceOf(line)).toHaveLength(1)
  })
})
