// NdjsonSource: line/byte offsets, deterministic ranges, invalid lines, sample inference.
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { NdjsonSource } from '../src/index.js'
import type { SourceRecord } from '../src/index.js'
import type { JsonValue } from '../src/types.js'
import { tempDir } from './temp-dir.js'

function file(text: string): string {
  const path = join(tempDir('lake-ndjson-'), 'in.ndjson')
  writeFileSync(path, text)
  return path
}

async function all(source: NdjsonSource, start: JsonValue, end: JsonValue): Promise<SourceRecord[]> {
  const out: SourceRecord[] = []
  for await (const r of source.read(start, end)) out.push(r)
  return out
}

describe('NdjsonSource', () => {
  it('plans batches by lines with byte offsets and reads exactly the range', async () => {
    const source = new NdjsonSource({ path: file('{"a":1}\n{"a":2}\r\n\n{"a":"é"}\n{"a":4}') })
    const start = await source.initialOffset()
    const mid = await source.latestOffset(start, 2)
    expect(mid).toEqual({ line: 2, byte: 17 })
    const end = await source.latestOffset(mid, 10)
    expect(end).toEqual({ line: 5, byte: 36 })
    expect(await source.latestOffset(end, 10)).toEqual(end)
    expect((await all(source, mid, end)).map((r) => (r.kind === 'record' ? [r.position, r.value] : r.kind))).toEqual([
      [4, { a: 'é' }],
      [5, { a: 4 }],
    ])
    expect(await all(source, start, mid)).toEqual(await all(source, start, mid))
  })

  it('turns unparseable lines and non-objects into invalid records with their line number', async () => {
    const source = new NdjsonSource({ path: file('{"a":1}\n{oops\n42\n') })
    const records = await all(source, await source.initialOffset(), await source.latestOffset(await source.initialOffset(), undefined))
    expect(records.map((r) => (r.kind === 'invalid' ? [r.position, r.code, r.raw] : r.kind))).toEqual(['record', [2, 'InvalidJson', '{oops'], [3, 'NotAnObject', '42']])
  })

  it('infers the schema from the majority type of each column in the sample', async () => {
    const source = new NdjsonSource({ path: file('{"id":1,"x":null,"v":1.5}\n{"id":"two"}\n{"id":3,"v":2}\n') })
    const schema = await source.schema()
    expect(schema?.fields.map((f) => [f.name, f.type.kind === 'primitive' ? f.type.name : f.type.kind])).toEqual([
      ['id', 'long'],
      ['x', 'string'],
      ['v', 'double'],
    ])
  })

  it('has a fingerprint that depends on the input only', () => {
    const a = file('{}\n')
    expect(new NdjsonSource({ path: a }).fingerprint()).toBe(new NdjsonSource({ path: a, sampleLines: 5 }).fingerprint())
    expect(new NdjsonSource({ path: a }).fingerprint()).not.toBe(new NdjsonSource({ path: file('{}\n') }).fingerprint())
  })
})
