// `lake ingest` of CSV: a plain append parses the records in the encoder workers (appendCsv) and
// writes what the row route writes (an --app-id job reads the same file through CsvSource); input
// that route refuses (a bad cell, malformed quoting, bare CR line ends) is re-read by the row route,
// so its errors, with their lines and hints, are what they always were, and nothing is committed.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lake, tempDir } from './cli-harness.js'

let dir = ''
let cleanup = (): void => undefined

/** Quoted fields with delimiters, quotes and line ends inside, CRLF, empty cells, unicode, int64 beyond 2^53, exact doubles. */
const TRICKY = [
  'id,name,amount,ok,day,at',
  '9007199254740993,"a, ""quoted""\r\nname",0.1,true,2024-01-02,2024-01-02T03:04:05.123456Z',
  '2,,123456789012345.67,FALSE,,2024-01-02T03:04:05+02:00',
  '-9223372036854775808,ünïcødé 💥,-0,,0001-01-01,',
  '4,"",1e300,True,9999-12-31,2024-01-02 03:04:05Z',
].join('\r\n')

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('ingest-csv'))
  writeFileSync(join(dir, 'tricky.csv'), `${TRICKY}\r\n`)
  // After the 1000 records the types are inferred from, a multi-line record, then a bad id on line 1004.
  writeFileSync(join(dir, 'bad.csv'), `id,name\n${Array.from({ length: 1000 }, (_, i) => `${i},a\n`).join('')}1000,"b\nc"\nbad,d\n`)
  writeFileSync(join(dir, 'quote.csv'), 'id,name\n1,a\n2,b"c\n')
  writeFileSync(join(dir, 'cr.csv'), 'id,name\r1,a\r2,b\r')
})
afterAll(() => cleanup())

async function rows(table: string): Promise<string[]> {
  const r = await lake(['read', table, '--format', 'ndjson'])
  expect(r.code, r.stderr).toBe(0)
  return r.stdout.trim().split('\n').sort()
}

describe('lake ingest of CSV', () => {
  it('writes what the row route writes, into a new table and appended to it', async () => {
    const columnar = join(dir, 'columnar')
    const byRows = join(dir, 'rows')
    for (let i = 0; i < 2; i++) {
      const a = await lake(['ingest', join(dir, 'tricky.csv'), columnar])
      expect(a.code, a.stderr).toBe(0)
      expect(JSON.parse(a.stdout)).toMatchObject({ version: i, rows: 4, batches: 1 })
      const b = await lake(['ingest', join(dir, 'tricky.csv'), byRows, '--app-id', `job-${i}`])
      expect(b.code, b.stderr).toBe(0)
    }
    const written = await rows(columnar)
    expect(written).toEqual(await rows(byRows))
    expect(written).toContain('{"id":9007199254740993,"name":"a, \\"quoted\\"\\r\\nname","amount":0.1,"ok":true,"day":"2024-01-02","at":"2024-01-02T03:04:05.123456Z"}')
  }, 60_000)

  it('names the line of a refused cell as the row route does, with the hint for inferred types, and creates nothing', async () => {
    const table = join(dir, 'bad')
    const r = await lake(['ingest', join(dir, 'bad.csv'), table])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('input line 1004: column \'id\' expects long, found "bad"')
    expect(r.stderr).toContain("a new table's column types are inferred from the first 1000 records")
    expect((await lake(['describe', table])).code).toBe(3)
  })

  it('reports malformed quoting as the row route does (usage, exit 2)', async () => {
    const r = await lake(['ingest', join(dir, 'quote.csv'), join(dir, 'quote')])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('input line 3: Invalid Opening Quote')
  })

  it('reads bare CR line ends by the row route', async () => {
    const r = await lake(['ingest', join(dir, 'cr.csv'), join(dir, 'cr')])
    expect(r.code, r.stderr).toBe(0)
    expect(await rows(join(dir, 'cr'))).toEqual(['{"id":1,"name":"a"}', '{"id":2,"name":"b"}'])
  })
})
