// Text input limits and messages: lines split in linear time, a line over maxLineBytes and JSON
// deeper than maxDepth are errors naming the line, duplicate CSV headers and invalid UTF-8 are
// refused, numbers written as doubles stay doubles through inference, and the one CSV typer.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { afterAll, describe, expect, it } from 'vitest'
import { JsonNumber } from '@lake/core/internal'
import { castCell, CsvSource, inferCsvType, inferSample, NdjsonSource, parseExactJson, parseJsonExact, readTextRecords } from '../src/index.js'
import type { SourceRecord } from '../src/index.js'
import { splitLines } from '../src/sources/split-lines.js'

const DIR = mkdtempSync(join(tmpdir(), 'lake-text-input-'))
afterAll(() => rmSync(DIR, { recursive: true, force: true }))
let files = 0

function file(text: string | Buffer): string {
  const path = join(DIR, `in-${files++}`)
  writeFileSync(path, text)
  return path
}

/** `bytes` in 64 KiB chunks, as a file stream delivers them. */
async function* chunked(bytes: Buffer): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.length; at += 65_536) yield bytes.subarray(at, at + 65_536)
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = []
  for await (const item of items) out.push(item)
  return out
}

async function readAll(source: NdjsonSource | CsvSource): Promise<SourceRecord[]> {
  const start = await source.initialOffset()
  return collect(source.read(start, await source.latestOffset(start, undefined), { schema: await source.schema() }))
}

async function caught(promise: Promise<unknown>): Promise<{ code?: string; message: string; context?: Record<string, unknown> }> {
  try {
    await promise
  } catch (err) {
    return err as { code?: string; message: string; context?: Record<string, unknown> }
  }
  throw new Error('expected a rejection')
}

function textRecords(text: string | Buffer, format: 'ndjson' | 'csv', extra: { maxLineBytes?: number; maxDepth?: number } = {}): Promise<Record<string, unknown>[]> {
  return collect(readTextRecords(chunked(Buffer.from(text)), { format, ...extra }))
}

describe('long lines', () => {
  async function splitTime(lineBytes: number): Promise<number> {
    const bytes = Buffer.alloc(lineBytes + 1, 0x61)
    bytes[lineBytes] = 0x0a
    const started = performance.now()
    const lines = await collect(splitLines(chunked(bytes), 0, { maxLineBytes: 64 * 1024 * 1024 }))
    const took = performance.now() - started
    expect(lines.map((l) => l.text.length)).toEqual([lineBytes])
    return took
  }

  it('splits a 32 MB line in time linear in its size (compared with a 4 MB line)', async () => {
    await splitTime(4 << 20) // warm-up
    const small = Math.min(await splitTime(4 << 20), await splitTime(4 << 20))
    const large = await splitTime(32 << 20)
    // 8x the bytes: linear work takes ~8x as long, the old quadratic joining took ~64x.
    expect(large / small).toBeLessThan(24)
  })

  it('refuses a line over maxLineBytes, naming its line number, on every reader', async () => {
    const text = `{"a":1}\n{"a":"${'x'.repeat(200)}"}\n`
    const expected = { code: 'InvalidArgument', context: { line: 2, maxLineBytes: 100 } }
    expect(await caught(textRecords(text, 'ndjson', { maxLineBytes: 100 }))).toMatchObject(expected)
    expect(await caught(readAll(new NdjsonSource({ path: file(text), maxLineBytes: 100 })))).toMatchObject(expected)
    const csv = `a\n1\n${'x'.repeat(200)}\n`
    expect(await caught(textRecords(csv, 'csv', { maxLineBytes: 100 }))).toMatchObject({ code: 'InvalidArgument', context: { line: 3, maxLineBytes: 100 } })
    expect((await caught(textRecords(text, 'ndjson', { maxLineBytes: 100 }))).message).toBe(
      'line 2 is longer than the limit of 100 bytes (maxLineBytes); split the record or raise the limit',
    )
  })

  it('counts lines from the offset and a last line without a newline', async () => {
    const lines = await collect(splitLines(chunked(Buffer.from('a\r\nb\nc')), 10, { firstLine: 5 }))
    expect(lines.map((l) => [l.text, l.line, l.end])).toEqual([['a', 5, 13], ['b', 6, 15], ['c', 7, 16]])
  })
})

describe('deep JSON', () => {
  const deep = `{"a":${'['.repeat(10_000)}${']'.repeat(10_000)}}`

  it('is refused past maxDepth by both parsers, without a stack overflow', () => {
    expect(() => parseJsonExact(deep)).toThrow(/JSON nested deeper than 100 levels \(maxDepth\)/)
    expect(() => parseExactJson(deep)).toThrow(/JSON nested deeper than 100 levels/)
    expect(() => parseJsonExact(`{"a":${'['.repeat(5)}1.5${']'.repeat(5)}}`, { maxDepth: 5 })).toThrow(/deeper than 5 levels/)
    expect(parseJsonExact(`{"a":${'['.repeat(5)}1${']'.repeat(5)}}`, { maxDepth: 6 })).toEqual({ a: [[[[[1]]]]] })
    // Brackets inside strings do not count.
    expect(parseJsonExact(`{"a":"${'['.repeat(500)}"}`)).toEqual({ a: '['.repeat(500) })
  })

  it('is an invalid record naming its line in NdjsonSource, an error naming it in readTextRecords', async () => {
    const text = `{"a":[1]}\n${deep}\n`
    const records = await readAll(new NdjsonSource({ path: file(text) }))
    expect(records[1]).toMatchObject({ kind: 'invalid', code: 'InvalidJson', position: 2 })
    expect(records[1]?.kind === 'invalid' && records[1].message).toMatch(/^line 2: JSON nested deeper than 100 levels/)
    expect(await caught(textRecords(text, 'ndjson'))).toMatchObject({ code: 'InvalidArgument', context: { line: 2, maxDepth: 100 } })
  })
})

describe('invalid input messages', () => {
  it('invalid JSON shows the line, cut at 80 characters, and a byte order mark', async () => {
    const err = await caught(textRecords(`{"a":1}\n\ufeff{"a":2}\n`, 'ndjson'))
    expect(err.message).toMatch(/^line 2: invalid JSON \(.*\): found "\ufeff\{\\"a\\":2\}"; it starts with a byte order mark \(U\+FEFF\)/)
    const long = await caught(textRecords(`{"a": ${'1'.repeat(100)}x}\n`, 'ndjson'))
    expect(long.message).toContain(`expected ',' or '}', found "x}"; the line: "{\\"a\\": ${'1'.repeat(74)}" (first 80 of 108 characters)`)
  })

  it('invalid UTF-8 is an invalid record in NdjsonSource and an error in the CSV reader, naming the line', async () => {
    const ndjson = Buffer.concat([Buffer.from('{"a":"ok"}\n{"a":"'), Buffer.from([0xe2, 0x28, 0xa1]), Buffer.from('"}\n')])
    const records = await readAll(new NdjsonSource({ path: file(ndjson) }))
    expect(records[1]).toMatchObject({ kind: 'invalid', code: 'InvalidUtf8', position: 2, message: 'line 2: expected UTF-8 text, found invalid UTF-8 bytes' })
    const csv = Buffer.concat([Buffer.from('a\nok\nok\n'), Buffer.from([0xff]), Buffer.from('\n')])
    expect(await caught(textRecords(csv, 'csv'))).toMatchObject({ code: 'InvalidArgument', context: { line: 4 } })
    expect(await caught(readAll(new CsvSource({ path: file(csv) })))).toMatchObject({ code: 'InvalidArgument', context: { line: 4 } })
  })

  it('CsvSource names the line of a refused cell when it read from the start (or its last end), else the record', async () => {
    const path = file('id,note\n1,"two\nlines"\nx,a\n2,b\ny,c\n')
    const schema = { kind: 'struct' as const, fields: [{ name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: true, metadata: {} }] }
    const source = new CsvSource({ path })
    const start = await source.initialOffset()
    const middle = await source.latestOffset(start, 2)
    const first = await collect(source.read(start, middle, { schema }))
    expect(first[1]).toMatchObject({ kind: 'invalid', code: 'SchemaMismatch', position: 2, message: `line 4: column 'id' expects long, found "x"` })
    const end = await source.latestOffset(middle, undefined)
    expect((await collect(source.read(middle, end, { schema })))[1]).toMatchObject({ position: 4, message: `line 6: column 'id' expects long, found "y"` })
    const fresh = new CsvSource({ path })
    expect((await collect(fresh.read(middle, end, { schema })))[1]).toMatchObject({ position: 4, message: `record 4: column 'id' expects long, found "y"` })
  })

  it('a multi-byte character split across chunks is valid UTF-8', async () => {
    const text = `a\n${'é'.repeat(70_000)}\n`
    expect(await textRecords(text, 'csv')).toEqual([{ a: 'é'.repeat(70_000) }])
  })
})

describe('CSV headers', () => {
  it.each(['id,id,score', 'id,ID,score'])('%s is refused naming the column, by CsvSource and readTextRecords', async (header) => {
    const text = `${header}\n1,2,3\n`
    const expected = { code: 'InvalidArgument', context: { column: header.split(',')[1] } }
    expect(await caught(new CsvSource({ path: file(text) }).initialOffset())).toMatchObject(expected)
    expect(await caught(textRecords(text, 'csv'))).toMatchObject(expected)
  })

  it('Object.prototype names are columns of null-prototype records', async () => {
    const [record] = await textRecords('__proto__,constructor,toString\n1,2,x\n', 'csv')
    expect(Object.getPrototypeOf(record)).toBe(null)
    expect(Object.entries(record ?? {})).toEqual([['__proto__', 1n], ['constructor', 2n], ['toString', 'x']])
  })
})

describe('inference of numbers written as doubles', () => {
  it('keeps 5.0, 1e3 and 12345678901234567.5 as JsonNumber and refuses 1e999', () => {
    const value = parseJsonExact('{"a": 5.0, "b": 1e3, "c": 12345678901234567.5, "d": 5, "e": 0.5, "f": "5.0"}') as Record<string, unknown>
    expect(value['a']).toEqual(new JsonNumber('5.0'))
    expect(value['b']).toEqual(new JsonNumber('1e3'))
    expect(value['c']).toEqual(new JsonNumber('12345678901234567.5'))
    expect([value['d'], value['e'], value['f']]).toEqual([5, 0.5, '5.0'])
    expect(() => parseJsonExact('{"a": 1e999}')).toThrow(/^number 1e999 in column 'a' is beyond the double range/)
  })

  it('infers double for them and one number kind for integers, bigints and JsonNumbers', () => {
    const sample = ['{"p": 5.0, "q": 1}', '{"p": 6.0, "q": 9007199254740993}', '{"p": 7, "q": 2}'].map((l) => parseJsonExact(l) as Record<string, unknown>)
    const schema = inferSample(sample)
    expect(schema?.fields.map((f) => [f.name, f.type])).toEqual([
      ['p', { kind: 'primitive', name: 'double' }],
      ['q', { kind: 'primitive', name: 'long' }],
    ])
  })

  it('NdjsonSource infers double from a prefix of 5.0 and reads 9.5 later', async () => {
    const lines = [...Array.from({ length: 1_500 }, () => '{"price": 5.0}'), '{"price": 9.5}'].join('\n')
    const source = new NdjsonSource({ path: file(lines), sampleLines: 1_000 })
    expect((await source.schema())?.fields[0]?.type).toEqual({ kind: 'primitive', name: 'double' })
    const records = await readAll(source)
    expect(records.every((r) => r.kind === 'record')).toBe(true)
    expect(records.at(-1)).toMatchObject({ value: { price: 9.5 }, position: 1_501 })
  })
})

describe('the CSV typer', () => {
  it('infers long within int64, double, boolean, date, timestamp, else string', () => {
    const type = (cells: string[]): string => {
      const t = inferCsvType(cells)
      return t.kind === 'primitive' ? t.name : t.kind
    }
    expect(type(['1', '-2', ''])).toBe('long')
    expect(type(['1', '9223372036854775808'])).toBe('string')
    expect(type(['1', '2.5', '1e3'])).toBe('double')
    expect(type(['true', 'FALSE'])).toBe('boolean')
    expect(type(['2024-05-01'])).toBe('date')
    expect(type(['2024-05-01T10:00:00Z'])).toBe('timestamp')
    expect(type(['a', '1'])).toBe('string')
    expect(type([''])).toBe('string')
  })

  it('types every record after the sample, and needs no sample for a table with every column', async () => {
    const csv = `id,x\n${Array.from({ length: 2_500 }, (_, i) => `${i},${i}.5`).join('\n')}\n`
    const records = await textRecords(csv, 'csv')
    expect(records.length).toBe(2_500)
    expect(records.at(-1)).toEqual({ id: 2_499n, x: 2_499.5 })
    const table = { kind: 'struct' as const, fields: [{ name: 'ID', type: { kind: 'primitive' as const, name: 'string' as const }, nullable: true, metadata: {} }] }
    const source = (async function* (): AsyncGenerator<Uint8Array> {
      yield Buffer.from('id\n7\n8\n') // csv-parse holds the last record until it sees more
      await new Promise(() => {}) // stdin that stays open: the first record must still come out
    })()
    const first = await readTextRecords(source, { format: 'csv', schema: table }).next()
    expect(first.value).toEqual({ id: '7' })
  })

  it('casts to the column type and refuses 1e999 for a double', () => {
    const double = { kind: 'primitive', name: 'double' } as const
    expect(castCell('0.0', double, 'score')).toEqual({ ok: true, value: 0 })
    expect(castCell('Infinity', double, 'score')).toEqual({ ok: true, value: Infinity })
    expect(castCell('1e999', double, 'score')).toEqual({ ok: false, message: `column 'score' expects double, found "1e999": beyond the double range` })
    expect(castCell('7', { kind: 'primitive', name: 'long' }, 'id')).toEqual({ ok: true, value: 7n })
  })
})
