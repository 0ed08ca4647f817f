// Binds a Delta type to the Parquet node that stores it: a tree of decode steps. Resolves 2- and
// 3-level LIST layouts, MAP/MAP_KEY_VALUE, bare repeated fields, and missing columns (read as null). Pure.

import { ParquetError } from './errors.js'
import { leafDecoder, mismatch } from './leaf-decoders.js'
import type { LeafDecoder } from './leaf-decoders.js'
import { findChild } from './parquet-tree.js'
import type { MatchBy, ParquetNode } from './parquet-tree.js'
import type { ArrayType, DataType, MapType, StructField, StructType } from './types.js'

/** A value that is always null: the column is not in the file, or its type is `void`. */
export interface NullPlan {
  readonly kind: 'null'
}

interface NodePlan {
  readonly node: ParquetNode
  /** The node has its own optional level (a 0/1 wrapper in the leaf data). */
  readonly optional: boolean
}

export interface LeafPlan extends NodePlan {
  readonly kind: 'leaf'
  readonly decode: LeafDecoder
  /** Decoded values are immutable, so rows may share them (all but binary, which is copied per row). */
  readonly shareable: boolean
}

export interface StructPlan extends NodePlan {
  readonly kind: 'struct'
  readonly fields: readonly { readonly name: string; readonly plan: ReadPlan }[]
}

export interface ListPlan extends NodePlan {
  readonly kind: 'list'
  /** The repeated node: one entry per element. */
  readonly repeated: ParquetNode
  readonly element: ReadPlan
}

export interface MapPlan extends NodePlan {
  readonly kind: 'map'
  readonly repeated: ParquetNode
  readonly key: ReadPlan
  readonly value: ReadPlan
}

/** How to rebuild one Delta value from the leaf columns under one Parquet node. */
export type ReadPlan = NullPlan | LeafPlan | StructPlan | ListPlan | MapPlan

const NULL_PLAN: NullPlan = { kind: 'null' }

function isOptional(node: ParquetNode): boolean {
  const repetition = node.element.repetition_type
  return repetition !== 'REQUIRED' && repetition !== 'REPEATED'
}

function isRepeated(node: ParquetNode): boolean {
  return node.element.repetition_type === 'REPEATED'
}

function typeName(type: DataType): string {
  switch (type.kind) {
    case 'primitive':
      return type.name
    case 'decimal':
      return `decimal(${type.precision},${type.scale})`
    default:
      return type.kind
  }
}

/**
 * Plan reading `type` from `node`. `consumed` says the node's repetition is already handled by the parent
 * (the repeated group of a 2-level list is the element itself).
 */
export function planType(type: DataType, node: ParquetNode, column: string, matchBy: MatchBy, consumed = false): ReadPlan {
  if (type.kind === 'primitive' && type.name === 'void') return NULL_PLAN
  if (type.kind === 'array') return planArray(type, node, column, matchBy, consumed)
  if (!consumed && isRepeated(node)) throw mismatch(column, typeName(type), node.element)
  const optional = !consumed && isOptional(node)
  switch (type.kind) {
    case 'struct':
      if (node.children.length === 0) throw mismatch(column, 'struct', node.element)
      return { kind: 'struct', node, optional, fields: planFields(type, node, column, matchBy) }
    case 'map':
      return planMap(type, node, column, matchBy, optional)
    default:
      if (node.children.length > 0) throw mismatch(column, typeName(type), node.element)
      return { kind: 'leaf', node, optional, decode: leafDecoder(type, column, node.element), shareable: !(type.kind === 'primitive' && type.name === 'binary') }
  }
}

/** Plan the fields of a Delta struct stored in the group `node`; fields missing from the file read as null. */
export function planFields(type: StructType, node: ParquetNode, column: string, matchBy: MatchBy): StructPlan['fields'] {
  return type.fields.map((field: StructField) => {
    const child = findChild(node, field, matchBy)
    const name = column === '' ? field.name : `${column}.${field.name}`
    return { name: field.name, plan: child ? planType(field.type, child, name, matchBy) : NULL_PLAN }
  })
}

function isListAnnotated(node: ParquetNode): boolean {
  return node.element.logical_type?.type === 'LIST' || node.element.converted_type === 'LIST'
}

/** The element node of a LIST group per the Parquet backward-compatibility rules, helped by the Delta type. */
function listElement(list: ParquetNode, repeated: ParquetNode, elementType: DataType): ParquetNode {
  const [only, ...rest] = repeated.children
  if (only === undefined || rest.length > 0) return repeated
  const name = repeated.element.name
  if (name === 'array' || name === `${list.element.name}_tuple`) return repeated
  // A one-leaf repeated group read as a struct is a 2-level list of one-field structs.
  if (elementType.kind === 'struct' && only.children.length === 0) return repeated
  return only
}

function planArray(type: ArrayType, node: ParquetNode, column: string, matchBy: MatchBy, consumed: boolean): ReadPlan {
  const name = `${column}.element`
  const [repeated, ...rest] = node.children
  if (!consumed && isListAnnotated(node) && repeated !== undefined && rest.length === 0 && isRepeated(repeated)) {
    const element = listElement(node, repeated, type.elementType)
    const elementPlan = planType(type.elementType, element, name, matchBy, element === repeated)
    return { kind: 'list', node, optional: isOptional(node), repeated, element: elementPlan }
  }
  if (!consumed && isRepeated(node)) {
    // An unannotated repeated field is a list of required elements (the field itself).
    return { kind: 'list', node, optional: false, repeated: node, element: planType(type.elementType, node, name, matchBy, true) }
  }
  throw mismatch(column, 'array', node.element)
}

function planMap(type: MapType, node: ParquetNode, column: string, matchBy: MatchBy, optional: boolean): ReadPlan {
  const [repeated, ...rest] = node.children
  if (repeated === undefined || rest.length > 0 || !isRepeated(repeated) || repeated.children.length === 0 || repeated.children.length > 2) {
    throw mismatch(column, 'map', node.element)
  }
  const keyNode = repeated.children.find(c => c.element.name === 'key') ?? repeated.children[0]
  const valueNode = repeated.children.find(c => c.element.name === 'value') ?? repeated.children.find(c => c !== keyNode)
  if (keyNode === undefined) throw new ParquetError(`column '${column}': expected a map key column, found none`, { context: { column } })
  return {
    kind: 'map',
    node,
    optional,
    repeated,
    key: planType(type.keyType, keyNode, `${column}.key`, matchBy),
    value: valueNode ? planType(type.valueType, valueNode, `${column}.value`, matchBy) : NULL_PLAN,
  }
}
