// encodeLines on the columns route keeps the last chunk's column builders for the next chunk of the
// same schema: every chunk's file holds exactly its own rows (no nulls, booleans or bytes of an
// earlier chunk), also after a chunk that failed half way, and a chunk of another schema gets its own.
import { describe, expect, it } from 'vitest'
import { asyncBufferFromBytes, readParquetRows } from '@lake/parquet'
import type { Row, StructType } from '@lake/parquet'
import { encodeLines } from '../src/index.js'
import type { LinesResult } from '../src/index.js'

const f = (name: string, type: string) => ({ name, type: { kind: 'primitive', name: type }, nullable: true, metadata: {} })
const SCHEMA = { kind: 'struct', fields: [f('id', 'long'), f('name', 'string'), f('ok', 'boolean'), f('x', 'double')] } as StructType
const OTHER = { kind: 'struct', fields: [f('id', 'long'), f('name', 'string')] } as StructType

const task = (lines: readonly string[], schema = SCHEMA) => ({ kind: 'lines' as const, bytes: new Uint8Array(Buffer.from(`${lines.join('\n')}\n`)), firstLine: 1, firstRow: 0, atStart: true, schema, partitionColumns: [], compression: 'uncompressed' as const })

async function rowsOf(result: LinesResult, schema = SCHEMA): Promise<Row[]> {
  if (result.status !== 'encoded') throw new Error(`expected encoded files, found ${JSON.stringify(result)}`)
  const out: Row[] = []
  for (const file of result.files) for await (const batch of readParquetRows(asyncBufferFromBytes(file.bytes), schema)) out.push(...batch)
  return out
}

const heavy = Array.from({ length: 400 }, (_, i) => JSON.stringify({ id: i % 3 === 0 ? null : -i * 1e9, name: i % 4 === 0 ? null : `näme ${i} 🦆`.repeat(4), ok: i % 5 === 0 ? null : true, x: i % 7 === 0 ? null : i / 8 }))
const light = Array.from({ length: 150 }, (_, i) => JSON.stringify({ id: i, name: 's', ok: false, x: 0.5 }))
const lightRows = Array.from({ length: 150 }, (_, i) => ({ id: BigInt(i), name: 's', ok: false, x: 0.5 }))

describe('encodeLines reusing the column builders', () => {
  it('writes only each chunk\'s own rows, chunk after chunk, after a failed chunk and across schemas', async () => {
    const first = await rowsOf(encodeLines(task(heavy)))
    expect(first).toHaveLength(400)
    expect(first.slice(0, 2)).toEqual([{ id: null, name: null, ok: null, x: null }, { id: -1_000_000_000n, name: 'näme 1 🦆'.repeat(4), ok: true, x: 1 / 8 }])
    expect(await rowsOf(encodeLines(task(light)))).toEqual(lightRows)
    const failed = encodeLines(task([...heavy.slice(0, 200), '{"id":"not a number"}']))
    expect(failed).toMatchObject({ status: 'failed', context: { line: 201 } })
    expect(await rowsOf(encodeLines(task(light)))).toEqual(lightRows)
    expect(await rowsOf(encodeLines(task(['{"id":0,"name":"s"}', '{"id":1,"name":"s"}'], OTHER)), OTHER)).toEqual([{ id: 0n, name: 's' }, { id: 1n, name: 's' }])
    expect(await rowsOf(encodeLines(task(heavy)))).toEqual(first)
  })
})
