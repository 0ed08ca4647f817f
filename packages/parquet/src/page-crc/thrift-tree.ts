// Thrift Compact Protocol without a schema: a struct is parsed into its fields in stored order (id,
// wire type, value) and written back with the same ids, types and values, so a footer, an offset index
// or a page header can have a few fields changed (offsets, sizes, the page CRC) while every field this
// code does not know (new Parquet metadata, statistics, encryption hints) is kept as it was.

import type { ByteWriter } from 'hyparquet-writer'
import { ParquetError } from '../errors.js'

/** Compact Protocol wire types. Booleans in a struct field carry their value in the type (TRUE/FALSE). */
export const THRIFT = { TRUE: 1, FALSE: 2, BYTE: 3, I16: 4, I32: 5, I64: 6, DOUBLE: 7, BINARY: 8, LIST: 9, SET: 10, MAP: 11, STRUCT: 12 } as const

const STOP = 0
const MAX_DEPTH = 32 // Parquet's metadata nests 6 deep; deeper is not a Parquet structure

/**
 * A value as stored: booleans (struct fields), numbers (i8, i16, i32, and booleans inside lists as
 * their stored byte), bigint (i64), bytes (binary, and a double's 8 bytes, kept exactly), lists, structs.
 */
export type ThriftValue = boolean | number | bigint | Uint8Array | ThriftList | ThriftStruct

/** A list with its element wire type. */
export interface ThriftList {
  readonly elementType: number
  readonly values: ThriftValue[]
}

/** One field of a struct. */
export interface ThriftField {
  readonly id: number
  readonly type: number
  readonly value: ThriftValue
}

function fail(what: string): never {
  throw new ParquetError(`cannot parse Thrift metadata: ${what}`)
}

/** A struct's fields in ascending id order, with typed access to the ones Parquet defines. */
export class ThriftStruct {
  readonly fields: ThriftField[]

  constructor(fields: ThriftField[]) {
    this.fields = fields
  }

  get(id: number): ThriftValue | undefined {
    return this.fields.find(f => f.id === id)?.value
  }

  /** An integer field (i16, i32 or i64) as a number, or undefined when absent. */
  int(id: number): number | undefined {
    const value = this.get(id)
    if (value === undefined) return undefined
    if (typeof value === 'number') return value
    if (typeof value === 'bigint' && Number.isSafeInteger(Number(value))) return Number(value)
    return fail(`expected field ${id} to be an integer, found ${typeof value}`)
  }

  struct(id: number): ThriftStruct | undefined {
    const value = this.get(id)
    if (value === undefined || value instanceof ThriftStruct) return value
    return fail(`expected field ${id} to be a struct`)
  }

  /** The structs of a list field; [] when absent. */
  structs(id: number): ThriftStruct[] {
    const value = this.get(id)
    if (value === undefined) return []
    if (typeof value === 'object' && 'elementType' in value && value.values.every(v => v instanceof ThriftStruct)) return value.values as ThriftStruct[]
    return fail(`expected field ${id} to be a list of structs`)
  }

  /** Sets an integer field, keeping its stored type (or `type` for a new field) and the ascending id order. */
  setInt(id: number, value: number, type: number = THRIFT.I64): void {
    const at = this.fields.findIndex(f => f.id >= id)
    const existing = at < 0 ? undefined : this.fields[at]
    const wire = existing?.id === id ? existing.type : type
    const field = { id, type: wire, value: wire === THRIFT.I64 ? BigInt(value) : value }
    if (existing?.id === id) this.fields[at] = field
    else if (at < 0) this.fields.push(field)
    else this.fields.splice(at, 0, field)
  }
}

/** Reads Compact Protocol values from `bytes`, failing on truncation or a type Parquet does not use. */
export class ThriftReader {
  readonly #bytes: Uint8Array
  offset: number

  constructor(bytes: Uint8Array, offset = 0) {
    this.#bytes = bytes
    this.offset = offset
  }

  #byte(): number {
    if (this.offset >= this.#bytes.length) fail(`truncated at byte ${this.offset}`)
    return this.#bytes[this.offset++] as number
  }

  /** An unsigned varint, exact: a number up to 2^53, else a bigint. */
  #varint(): number | bigint {
    const start = this.offset
    let result = 0
    let scale = 1
    for (let i = 0; i < 10; i++) {
      const byte = this.#byte()
      result += (byte & 0x7f) * scale
      if ((byte & 0x80) === 0) return result <= Number.MAX_SAFE_INTEGER ? result : this.#bigVarint(start)
      scale *= 0x80
    }
    return fail(`varint longer than 10 bytes at byte ${start}`)
  }

  #bigVarint(start: number): bigint {
    this.offset = start
    let result = 0n
    for (let shift = 0n; ; shift += 7n) {
      const byte = this.#byte()
      result |= BigInt(byte & 0x7f) << shift
      if ((byte & 0x80) === 0) return result
    }
  }

  #zigzag(): number | bigint {
    const raw = this.#varint()
    if (typeof raw === 'bigint') return (raw >> 1n) ^ -(raw & 1n)
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2
  }

  #small(): number {
    const value = this.#zigzag()
    if (typeof value === 'bigint' || value < -0x80000000 || value > 0x7fffffff) fail(`i32 out of range at byte ${this.offset}`)
    return value
  }

  #length(): number {
    const value = this.#varint()
    if (typeof value === 'bigint' || value > this.#bytes.length) fail(`length ${value} at byte ${this.offset} exceeds the data`)
    return value
  }

  #bytesOf(length: number): Uint8Array {
    if (length < 0 || this.offset + length > this.#bytes.length) fail(`${length} bytes at byte ${this.offset} overrun the data`)
    const out = this.#bytes.subarray(this.offset, this.offset + length)
    this.offset += length
    return out
  }

  #list(depth: number): ThriftList {
    const header = this.#byte()
    const elementType = header & 0x0f
    const size = header >> 4 === 15 ? this.#length() : header >> 4
    if (size > this.#bytes.length - this.offset) fail(`list of ${size} elements at byte ${this.offset} overruns the data`)
    const bool = elementType === THRIFT.TRUE || elementType === THRIFT.FALSE
    const values: ThriftValue[] = []
    for (let i = 0; i < size; i++) values.push(bool ? this.#byte() : this.#value(elementType, depth))
    return { elementType, values }
  }

  #value(type: number, depth: number): ThriftValue {
    switch (type) {
      case THRIFT.TRUE: return true
      case THRIFT.FALSE: return false
      case THRIFT.BYTE: return this.#byte()
      case THRIFT.I16:
      case THRIFT.I32: return this.#small()
      case THRIFT.I64: return BigInt(this.#zigzag())
      case THRIFT.DOUBLE: return this.#bytesOf(8)
      case THRIFT.BINARY: return this.#bytesOf(this.#length())
      case THRIFT.LIST: return this.#list(depth + 1)
      case THRIFT.STRUCT: return this.struct(depth + 1)
      default: return fail(`unsupported wire type ${type} at byte ${this.offset}`)
    }
  }

  /** Reads one struct, up to and including its STOP byte. */
  struct(depth = 0): ThriftStruct {
    if (depth > MAX_DEPTH) fail(`structs nested deeper than ${MAX_DEPTH}`)
    const fields: ThriftField[] = []
    let id = 0
    for (;;) {
      const header = this.#byte()
      const type = header & 0x0f
      if (type === STOP) return new ThriftStruct(fields)
      id = header >> 4 === 0 ? this.#small() : id + (header >> 4)
      fields.push({ id, type, value: this.#value(type, depth) })
    }
  }
}

/** An unsigned varint of a number below 2^53. */
function writeVarint(out: ByteWriter, value: number): void {
  let rest = value
  while (rest >= 0x80) {
    out.appendUint8((rest % 0x80) | 0x80)
    rest = Math.floor(rest / 0x80)
  }
  out.appendUint8(rest)
}

function writeZigzag(out: ByteWriter, value: number | bigint): void {
  const small = typeof value === 'number' ? value : value >= -(2n ** 52n) && value < 2n ** 52n ? Number(value) : undefined
  if (small === undefined) return out.appendZigZag(value)
  writeVarint(out, small >= 0 ? small * 2 : -small * 2 - 1)
}

function writeValue(out: ByteWriter, type: number, value: ThriftValue): void {
  if (value instanceof ThriftStruct) return writeStruct(out, value)
  if (value instanceof Uint8Array) {
    if (type === THRIFT.BINARY) writeVarint(out, value.length)
    return out.appendBytes(value)
  }
  if (typeof value === 'bigint') return writeZigzag(out, value)
  if (typeof value === 'number') return type === THRIFT.BYTE || type === THRIFT.TRUE || type === THRIFT.FALSE ? out.appendUint8(value & 0xff) : writeZigzag(out, value)
  if (typeof value === 'boolean') return // a struct field's boolean is its type
  const size = value.values.length
  out.appendUint8((Math.min(size, 15) << 4) | value.elementType)
  if (size >= 15) writeVarint(out, size)
  for (const item of value.values) writeValue(out, value.elementType, item)
}

/** Writes `struct` with its fields in order, then STOP. */
export function writeStruct(out: ByteWriter, struct: ThriftStruct): void {
  let last = 0
  for (const { id, type, value } of struct.fields) {
    const wire = typeof value === 'boolean' ? (value ? THRIFT.TRUE : THRIFT.FALSE) : type
    if (id > last && id - last <= 15) out.appendUint8(((id - last) << 4) | wire)
    else {
      out.appendUint8(wire)
      writeZigzag(out, id)
    }
    writeValue(out, wire, value)
    last = id
  }
  out.appendUint8(STOP)
}
