// Which Arrow columns the plain writer takes, and how: top-level columns of the canonical Arrow types of
// flat Delta types (deltaToArrowType), each mapped to the Parquet leaf the row encoder writes for that
// Delta type (schema-to-parquet.ts), and to the layout of its values in Arrow memory. Decimals, nested
// and other Arrow types are not taken: the caller writes such tables with parquet-wasm.

import * as arrow from 'apache-arrow'
import type { SchemaElement } from 'hyparquet'
import { ARROW_FIELD_ID_KEY } from '../arrow/arrow-schema.js'
import { primitiveElement } from '../schema-to-parquet.js'
import type { PrimitiveName } from '../types.js'
import { LITTLE_ENDIAN } from '../int64-words.js'

/** How a column's values sit in Arrow memory, and so how they become PLAIN values. */
export type PlainLayout =
  | { readonly kind: 'fixed'; readonly width: 4 | 8 } // int32, int64, float, double, date, timestamp: the bytes as they are
  | { readonly kind: 'narrow' } // int8, int16: widened to int32
  | { readonly kind: 'boolean' } // a bitmap, indexed from the Data's offset
  | { readonly kind: 'bytes' } // utf8, binary: int32 offsets into a byte buffer

/** A column the plain writer can write. */
export interface PlainColumn {
  readonly name: string
  readonly layout: PlainLayout
  /** The Parquet leaf (name, repetition, field id, physical and logical type). */
  readonly element: SchemaElement
  /** True for floating-point values (NaN and signed zeros in statistics). */
  readonly float: boolean
}

/** The Delta primitive type whose canonical Arrow type is `type`, and its layout; undefined for any other type. */
function deltaPrimitive(type: arrow.DataType): [Exclude<PrimitiveName, 'void'>, PlainLayout] | undefined {
  if (arrow.DataType.isInt(type)) {
    if (!type.isSigned) return undefined
    switch (type.bitWidth) {
      case 64: return ['long', { kind: 'fixed', width: 8 }]
      case 32: return ['integer', { kind: 'fixed', width: 4 }]
      case 16: return ['short', { kind: 'narrow' }]
      default: return ['byte', { kind: 'narrow' }]
    }
  }
  if (arrow.DataType.isFloat(type)) {
    if (type.precision === arrow.Precision.DOUBLE) return ['double', { kind: 'fixed', width: 8 }]
    return type.precision === arrow.Precision.SINGLE ? ['float', { kind: 'fixed', width: 4 }] : undefined
  }
  if (arrow.DataType.isBool(type)) return ['boolean', { kind: 'boolean' }]
  if (type.typeId === arrow.Type.Utf8) return ['string', { kind: 'bytes' }]
  if (type.typeId === arrow.Type.Binary) return ['binary', { kind: 'bytes' }]
  if (arrow.DataType.isDate(type)) return type.unit === arrow.DateUnit.DAY ? ['date', { kind: 'fixed', width: 4 }] : undefined
  if (arrow.DataType.isTimestamp(type) && type.unit === arrow.TimeUnit.MICROSECOND) {
    return [type.timezone ? 'timestamp' : 'timestamp_ntz', { kind: 'fixed', width: 8 }]
  }
  return undefined
}

/** The plain writer's view of `field`; undefined when it writes no such column. */
export function plainColumn(field: arrow.Field): PlainColumn | undefined {
  const mapped = LITTLE_ENDIAN ? deltaPrimitive(field.type) : undefined
  if (mapped === undefined) return undefined
  const [name, layout] = mapped
  const element: SchemaElement = { name: field.name, repetition_type: field.nullable ? 'OPTIONAL' : 'REQUIRED', ...primitiveElement(name) }
  const id = field.metadata.get(ARROW_FIELD_ID_KEY)
  if (id !== undefined) element.field_id = Number(id)
  // Stryker disable next-line ConditionalExpression,LogicalOperator,EqualityOperator,StringLiteral: zero bounds widened as floats' are written alike for integers (see chunk-stats.ts)
  return { name: field.name, layout, element, float: name === 'double' || name === 'float' }
}
