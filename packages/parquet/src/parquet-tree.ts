// The Parquet schema of a file as a tree with leaf-column indexes, and the lookup of a Delta field in it
// by name (exact, then case-insensitive) or by field_id (column mapping id mode). Pure.

import type { SchemaElement } from 'hyparquet'
import { ParquetError } from './errors.js'
import { COLUMN_MAPPING_ID_KEY } from './schema-to-parquet.js'
import type { StructField } from './types.js'

/** One node of the file schema: leaves are the physical columns, numbered depth-first. */
export interface ParquetNode {
  readonly element: SchemaElement
  readonly children: readonly ParquetNode[]
  /** Names from the top-level column down (the root has none). */
  readonly path: readonly string[]
  /** Index of the first leaf column under this node (its own index when it is a leaf). */
  readonly leafStart: number
  readonly leafCount: number
}

/** How Delta fields are found in a file: by name or by Parquet field_id. */
export type MatchBy = 'name' | 'id'

/** The key of a leaf column path, as used to index column data. */
export function pathKey(path: readonly string[]): string {
  return path.join('\u0000')
}

/** Build the tree of a footer's flat, depth-first schema element list. */
export function parquetTree(schema: readonly SchemaElement[]): ParquetNode {
  let index = 0
  let leaves = 0
  const build = (path: readonly string[]): ParquetNode => {
    const element = schema[index++]
    if (element === undefined) throw new ParquetError(`corrupt Parquet schema: expected element ${index - 1}, found end of schema`)
    const leafStart = leaves
    const children: ParquetNode[] = []
    const count = element.num_children ?? 0
    for (let i = 0; i < count; i++) children.push(build([...path, (schema[index] as SchemaElement | undefined)?.name ?? '']))
    if (count === 0) leaves++
    return { element, children, path, leafStart, leafCount: leaves - leafStart }
  }
  return build([])
}

/** All leaf nodes under `node`, in column order. */
export function leavesOf(node: ParquetNode): ParquetNode[] {
  return node.children.length === 0 ? [node] : node.children.flatMap(leavesOf)
}

function columnMappingId(field: StructField): number | undefined {
  const id = field.metadata[COLUMN_MAPPING_ID_KEY]
  if (typeof id === 'number') return id
  if (typeof id === 'string' && /^\d+$/.test(id)) return Number(id)
  return undefined
}

/**
 * The child of `group` that stores `field`: by field_id in `'id'` mode (falling back to the name when the
 * field has no id), else by exact name, then by a unique case-insensitive name. Undefined when absent.
 */
export function findChild(group: ParquetNode, field: StructField, matchBy: MatchBy): ParquetNode | undefined {
  if (matchBy === 'id') {
    const id = columnMappingId(field)
    if (id !== undefined) return group.children.find(child => child.element.field_id === id)
  }
  const exact = group.children.find(child => child.element.name === field.name)
  if (exact) return exact
  const lower = field.name.toLowerCase()
  const loose = group.children.filter(child => child.element.name.toLowerCase() === lower)
  return loose.length === 1 ? loose[0] : undefined
}
