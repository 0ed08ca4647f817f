// checkArrowUtf8 over the Arrow layouts that hold strings: Utf8 (sliced too), LargeUtf8, dictionaries,
// maps; the first invalid value is named by column path and row, valid data passes.
import * as arrow from 'apache-arrow'
import { describe, expect, it } from 'vitest'
import { checkArrowUtf8 } from '../src/index.js'

const text = (s: string): Uint8Array => new TextEncoder().encode(s)
const INVALID = new Uint8Array([0xe2, 0x82]) // a truncated 3-byte sequence

function bytesAndOffsets(values: readonly Uint8Array[]): { data: Uint8Array; offsets: number[] } {
  const offsets = [0]
  for (const v of values) offsets.push((offsets.at(-1) ?? 0) + v.length)
  const data = new Uint8Array(offsets.at(-1) ?? 0)
  values.forEach((v, i) => data.set(v, offsets[i]))
  return { data, offsets }
}

function utf8(values: readonly Uint8Array[]): arrow.Data<arrow.Utf8> {
  const { data, offsets } = bytesAndOffsets(values)
  return arrow.makeData({ type: new arrow.Utf8(), length: values.length, nullCount: 0, valueOffsets: new Int32Array(offsets), data })
}

function batchOf(name: string, data: arrow.Data): arrow.RecordBatch {
  return new arrow.RecordBatch({ [name]: data })
}

function refusal(batches: readonly arrow.RecordBatch[], firstRow?: number): unknown {
  try {
    checkArrowUtf8(batches, firstRow)
  } catch (err) {
    return err
  }
  return undefined
}

describe('checkArrowUtf8', () => {
  it('passes valid strings, multi-byte ones and empty columns', () => {
    expect(refusal([batchOf('s', utf8([text('a'), text('é€😀'), text('')]))])).toBeUndefined()
    expect(refusal([batchOf('s', utf8([]))])).toBeUndefined()
  })

  it('names the row within a slice and after firstRow', () => {
    const column = utf8([INVALID, text('a'), text('b'), INVALID])
    expect(refusal([batchOf('s', column.slice(1, 2))])).toBeUndefined() // Data.slice(offset, length): the valid middle
    expect(refusal([batchOf('s', column.slice(1, 3))])).toMatchObject({ context: { column: 's', row: 2 } })
    expect(refusal([batchOf('s', column.slice(1, 2)), batchOf('s', utf8([text('c'), INVALID]))], 10)).toMatchObject({ code: 'ParquetError', context: { column: 's', row: 13 } })
  })

  it('checks LargeUtf8 and the dictionary entries a row uses', () => {
    const { data, offsets } = bytesAndOffsets([text('ok'), INVALID])
    const large = arrow.makeData({ type: new arrow.LargeUtf8(), length: 2, nullCount: 0, valueOffsets: new BigInt64Array(offsets.map(BigInt)), data })
    expect(refusal([batchOf('l', large)])).toMatchObject({ context: { column: 'l', row: 1 } })
    const type = new arrow.Dictionary(new arrow.Utf8(), new arrow.Int32())
    const dictionary = arrow.makeVector(utf8([text('x'), INVALID]))
    const dict = arrow.makeData({ type, length: 3, nullCount: 0, data: new Int32Array([0, 0, 1]), dictionary })
    expect(refusal([batchOf('d', dict)])).toMatchObject({ context: { column: 'd', row: 2 } })
  })

  it('names map keys and values by path, at the row holding the entry', () => {
    const entries = new arrow.Struct([new arrow.Field('key', new arrow.Utf8(), false), new arrow.Field('value', new arrow.Utf8(), true)])
    const type = new arrow.Map_(new arrow.Field('entries', entries, false))
    const child = arrow.makeData({ type: entries, length: 3, nullCount: 0, children: [utf8([text('k1'), text('k2'), text('k3')]), utf8([text('v1'), text('v2'), INVALID])] })
    const map = arrow.makeData({ type, length: 2, nullCount: 0, valueOffsets: new Int32Array([0, 2, 3]), child })
    expect(refusal([batchOf('m', map)])).toMatchObject({ context: { column: 'm.value', row: 1 } })
  })

  it('checks the non-null values of a Utf8View column, inline and in its data buffers, sliced too', () => {
    const long = 'a value longer than twelve bytes'
    const make = (): arrow.Data<arrow.Utf8View> => arrow.vectorFromArray(['ok', long, 'x', null, 'tail'], new arrow.Utf8View()).data[0] as arrow.Data<arrow.Utf8View>
    expect(refusal([batchOf('v', make())])).toBeUndefined()
    const inline = make()
    inline.values[2 * 16 + 4] = 0xff // the inline bytes of row 2 ('x')
    expect(refusal([batchOf('v', inline)])).toMatchObject({ code: 'ParquetError', context: { column: 'v', row: 2 } })
    expect(refusal([batchOf('v', inline.slice(3, 2))])).toBeUndefined()
    expect(refusal([batchOf('v', inline.slice(1, 3))])).toMatchObject({ context: { column: 'v', row: 1 } })
    const outOfLine = make()
    const buffer = outOfLine.variadicBuffers[0] as Uint8Array
    buffer[buffer.indexOf(text(long)[0] as number)] = 0xc0 // the first byte of row 1, in the data buffer
    expect(refusal([batchOf('v', outOfLine)])).toMatchObject({ context: { column: 'v', row: 1 } })
    const nullSlot = make()
    nullSlot.values.set([1, 0, 0, 0, 0xff], 3 * 16) // a view under the null slot of row 3
    expect(refusal([batchOf('v', nullSlot)])).toBeUndefined()
  })
})
