// Physical column values (what `buildEncoder` returns: numbers, bigint micros/unscaled decimals, days,
// UTF-8 bytes, nested objects/arrays/entries) -> one canonical Arrow `Data` per column: typed arrays,
// validity bitmaps and UTF-8 bytes with offsets, built in one pass per column.

import * as arrow from 'apache-arrow'
import { isStored } from '../schema-to-parquet.js'
import type { DataType, PrimitiveName } from '../types.js'
import { deltaToArrowType } from './arrow-schema.js'

interface Validity {
  readonly bitmap: Uint8Array
  readonly nullCount: number
}

function validity(values: readonly unknown[]): Validity {
  const bitmap = new Uint8Array((values.length + 7) >> 3)
  let nullCount = 0
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) nullCount++
    else bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7))
  }
  return { bitmap, nullCount }
}

type NumericArray = Int8Array | Int16Array | Int32Array | Float32Array | Float64Array
const NUMBER_ARRAYS: Partial<Record<PrimitiveName, new (n: number) => NumericArray>> = {
  byte: Int8Array, short: Int16Array, integer: Int32Array, date: Int32Array, float: Float32Array, double: Float64Array,
}

function fill<T extends { [i: number]: number | bigint }>(out: T, values: readonly unknown[], zero: number | bigint): T {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    out[i] = v === null || v === undefined ? zero : (v as number | bigint)
  }
  return out
}

function bytesData(type: arrow.DataType, values: readonly unknown[], v: Validity): arrow.Data {
  const offsets = new Int32Array(values.length + 1)
  let total = 0
  for (let i = 0; i < values.length; i++) {
    const b = values[i] as Uint8Array | null | undefined
    if (b !== null && b !== undefined) total += b.length
    offsets[i + 1] = total
  }
  const data = new Uint8Array(total)
  for (let i = 0; i < values.length; i++) {
    const b = values[i] as Uint8Array | null | undefined
    if (b !== null && b !== undefined) data.set(b, offsets[i] as number)
  }
  return arrow.makeData({ type: type as arrow.Utf8, length: values.length, nullCount: v.nullCount, nullBitmap: v.bitmap, valueOffsets: offsets, data })
}

function decimalWords(values: readonly unknown[]): Uint32Array {
  const words = new Uint32Array(values.length * 4)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]
    if (typeof v !== 'bigint') continue
    let u = BigInt.asUintN(128, v)
    for (let w = 0; w < 4; w++, u >>= 32n) words[i * 4 + w] = Number(u & 0xffffffffn)
  }
  return words
}

function booleanBits(values: readonly unknown[]): Uint8Array {
  const bits = new Uint8Array((values.length + 7) >> 3)
  for (let i = 0; i < values.length; i++) if (values[i] === true) bits[i >> 3] = (bits[i >> 3] as number) | (1 << (i & 7))
  return bits
}

function primitiveData(type: arrow.DataType, name: PrimitiveName, values: readonly unknown[], v: Validity): arrow.Data {
  const length = values.length
  const base = { length, nullCount: v.nullCount, nullBitmap: v.bitmap }
  const Numeric = NUMBER_ARRAYS[name]
  if (Numeric !== undefined) return arrow.makeData({ ...base, type: type as arrow.Int32, data: fill(new Numeric(length), values, 0) as Int32Array })
  if (name === 'long' || name === 'timestamp' || name === 'timestamp_ntz') {
    return arrow.makeData({ ...base, type: type as arrow.Int64, data: fill(new BigInt64Array(length), values, 0n) })
  }
  if (name === 'boolean') return arrow.makeData({ ...base, type: type as arrow.Bool, data: booleanBits(values) })
  if (name === 'void') return arrow.makeData({ type: new arrow.Null(), length })
  return bytesData(type, values, v)
}

function structData(type: arrow.Struct, delta: Extract<DataType, { kind: 'struct' }>, values: readonly unknown[], v: Validity): arrow.Data {
  const children = delta.fields.filter(f => isStored(f.type)).map(f => {
    const column = values.map(s => (s === null || s === undefined ? null : (s as Record<string, unknown>)[f.name]))
    return physicalToArrow(column, f.type)
  })
  return arrow.makeData({ type, length: values.length, nullCount: v.nullCount, nullBitmap: v.bitmap, children })
}

function listOffsets(values: readonly unknown[]): { offsets: Int32Array; items: unknown[] } {
  const offsets = new Int32Array(values.length + 1)
  const items: unknown[] = []
  for (let i = 0; i < values.length; i++) {
    const list = values[i] as readonly unknown[] | null | undefined
    if (list !== null && list !== undefined) for (const item of list) items.push(item)
    offsets[i + 1] = items.length
  }
  return { offsets, items }
}

/**
 * The canonical Arrow `Data` of one column of physical values of Delta type `type`.
 * Struct children follow the type's stored (non-void) fields.
 */
export function physicalToArrow(values: readonly unknown[], type: DataType): arrow.Data {
  const arrowType = deltaToArrowType(storedOnly(type))
  const v = validity(values)
  switch (type.kind) {
    case 'primitive':
      return primitiveData(arrowType, type.name, values, v)
    case 'decimal':
      return arrow.makeData({ type: arrowType as arrow.Decimal, length: values.length, nullCount: v.nullCount, nullBitmap: v.bitmap, data: decimalWords(values) })
    case 'struct':
      return structData(arrowType as arrow.Struct, type, values, v)
    case 'array': {
      const { offsets, items } = listOffsets(values)
      const child = physicalToArrow(items, type.elementType)
      return arrow.makeData({ type: arrowType as arrow.List, length: values.length, nullCount: v.nullCount, nullBitmap: v.bitmap, valueOffsets: offsets, child })
    }
    case 'map': {
      const { offsets, items } = listOffsets(values)
      const entries = items as readonly { readonly key: unknown; readonly value: unknown }[]
      const keys = physicalToArrow(entries.map(e => e.key), type.keyType)
      const vals = physicalToArrow(entries.map(e => e.value), type.valueType)
      const entryType = (arrowType as arrow.Map_).children[0]?.type as arrow.Struct
      const child = arrow.makeData({ type: entryType, length: entries.length, nullCount: 0, children: [keys, vals] })
      return arrow.makeData({ type: arrowType as arrow.Map_, length: values.length, nullCount: v.nullCount, nullBitmap: v.bitmap, valueOffsets: offsets, child })
    }
  }
}

/** The type with void struct fields left out (they have no Parquet column). */
export function storedOnly(type: DataType): DataType {
  switch (type.kind) {
    case 'struct':
      return { kind: 'struct', fields: type.fields.filter(f => isStored(f.type)).map(f => ({ ...f, type: storedOnly(f.type) })) }
    case 'array':
      return { ...type, elementType: storedOnly(type.elementType) }
    case 'map':
      return { ...type, keyType: storedOnly(type.keyType), valueType: storedOnly(type.valueType) }
    default:
      return type
  }
}
