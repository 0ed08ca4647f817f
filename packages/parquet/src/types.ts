// The Delta data-type model and the JS value model shared by the codec and @lake/core.
// Pure type declarations: no I/O, no runtime code.

/** Delta primitive type names as the protocol writes them (decimal is its own kind). */
export type PrimitiveName =
  | 'string'
  | 'long'
  | 'integer'
  | 'short'
  | 'byte'
  | 'float'
  | 'double'
  | 'boolean'
  | 'binary'
  | 'date'
  | 'timestamp'
  | 'timestamp_ntz'
  | 'void'

/** A Delta primitive type (`long`, `string`, `timestamp`, ...). */
export interface PrimitiveType {
  readonly kind: 'primitive'
  readonly name: PrimitiveName
}

/** `decimal(precision, scale)`. */
export interface DecimalType {
  readonly kind: 'decimal'
  /** 1..38 */
  readonly precision: number
  /** 0..precision */
  readonly scale: number
}

/** A named field of a struct: type, nullability and field metadata (column mapping ids, ...). */
export interface StructField {
  readonly name: string
  readonly type: DataType
  readonly nullable: boolean
  /** Field metadata exactly as in the schema JSON (unknown keys preserved). */
  readonly metadata: Readonly<Record<string, unknown>>
}

/** A struct type; a table schema is one. */
export interface StructType {
  readonly kind: 'struct'
  readonly fields: readonly StructField[]
}

/** `array<elementType>`. */
export interface ArrayType {
  readonly kind: 'array'
  readonly elementType: DataType
  readonly containsNull: boolean
}

/** `map<keyType, valueType>`. */
export interface MapType {
  readonly kind: 'map'
  readonly keyType: DataType
  readonly valueType: DataType
  readonly valueContainsNull: boolean
}

/** Any Delta data type. */
export type DataType = PrimitiveType | DecimalType | StructType | ArrayType | MapType

/**
 * A JS value of a Delta column. The mapping is exact, never lossy:
 * - byte, short, integer, float, double: `number`
 * - long: `bigint`
 * - decimal(p,s): `string` with exactly `s` digits after the point (`"-12.50"`)
 * - string: `string`; binary: `Uint8Array`; boolean: `boolean`
 * - date: `string` `YYYY-MM-DD`
 * - timestamp: `string` ISO-8601 UTC with microseconds `2024-05-01T12:00:00.123456Z`
 * - timestamp_ntz: `string` without zone `2024-05-01T12:00:00.123456`
 * - struct: plain object; array: JS array; map: `Map`
 * - null for SQL NULL
 */
export type Value =
  | null
  | number
  | bigint
  | string
  | boolean
  | Uint8Array
  | readonly Value[]
  | ReadonlyMap<Value, Value>
  | { readonly [key: string]: Value }

/** One row: column name to value. */
export type Row = { readonly [column: string]: Value }

/** Byte-range access to one file, the hyparquet `AsyncBuffer` shape. */
export interface AsyncBuffer {
  readonly byteLength: number
  slice(start: number, end?: number): ArrayBuffer | Promise<ArrayBuffer>
}

/** Parquet compression codecs lake writes. */
export type Compression = 'zstd' | 'snappy' | 'gzip' | 'uncompressed'

/** Delta per-file statistics in their JSON form (the add action's `stats` before stringify). */
export interface FileStats {
  readonly numRecords: number
  readonly minValues: Readonly<Record<string, unknown>>
  readonly maxValues: Readonly<Record<string, unknown>>
  readonly nullCount: Readonly<Record<string, unknown>>
  readonly tightBounds?: boolean
}
