// Consistency checks of a parsed footer. Parquet footers carry no checksum, but they hold some facts
// twice: each column chunk repeats its leaf's path and physical type, row groups sum to the file's row
// count, and chunks must lie inside the file. A damaged footer that still parses is caught here rather
// than read as a file whose columns are missing (null) or misplaced. Before parsing, the file must
// be long enough and start and end with the magic 'PAR1' (anything else is not a Parquet file).

import type { FileMetaData, SchemaElement } from 'hyparquet'
import { CorruptDataError, ParquetError } from './errors.js'
import type { AsyncBuffer } from './types.js'

const MAGIC = 'PAR1'
/** 'PAR1', the footer length (4 bytes), 'PAR1': the least a Parquet file holds. */
const MIN_FILE_BYTES = 12

interface Leaf {
  readonly path: string
  readonly type: SchemaElement['type']
}

function corrupt(what: string): CorruptDataError {
  return new CorruptDataError(`corrupt Parquet footer: ${what}`)
}

/** Bytes for a message: printable ASCII quoted, anything else as hex. */
function shown(bytes: Uint8Array): string {
  if (bytes.every((b) => b >= 0x20 && b <= 0x7e)) return `'${String.fromCharCode(...bytes)}'`
  return `0x${[...bytes].map((b) => b.toString(16).padStart(2, '0')).join('')}`
}

/** hyparquet's first footer read: the last 512 KiB (parquetMetadataAsync's initialFetchSize). */
const FOOTER_FETCH = 1 << 19

function checkEnds(size: number, head: Uint8Array, tail: Uint8Array): void {
  for (const [where, bytes] of [['start', head], ['end', tail]] as const) {
    const found = shown(bytes)
    if (found !== `'${MAGIC}'`) throw new ParquetError(`not a Parquet file: expected '${MAGIC}' at the ${where} of its ${size} bytes, found ${found}`)
  }
}

/**
 * Runs `parse` (the footer read) over `file`, checking first that the file is long enough and then
 * that it starts and ends with 'PAR1'. The magic comes from parse's own reads when they cover it (the
 * footer read ends at the end of the file, and covers its start when the file is at most 512 KiB);
 * a larger file costs one 4-byte read, made alongside.
 * @throws ParquetError naming what was expected and what the file holds; else the read's or parse's error.
 */
export async function withMagicChecked<T>(file: AsyncBuffer, parse: (file: AsyncBuffer) => Promise<T>): Promise<T> {
  const size = file.byteLength
  if (size < MIN_FILE_BYTES) {
    await file.slice(0, size) // a file that cannot be read (missing) fails as that, not as "not Parquet"
    throw new ParquetError(`not a Parquet file: expected at least ${MIN_FILE_BYTES} bytes ('${MAGIC}', footer length, '${MAGIC}'), found ${size}`)
  }
  let head: Uint8Array | undefined
  let tail: Uint8Array | undefined
  const watched: AsyncBuffer = {
    byteLength: size,
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const bytes = await file.slice(start, end)
      if (start === 0 && end >= 4) head ??= new Uint8Array(bytes.slice(0, 4))
      if (end === size && start <= size - 4) tail ??= new Uint8Array(bytes.slice(size - 4 - start))
      return bytes
    },
  }
  const headRead = size > FOOTER_FETCH ? Promise.resolve(file.slice(0, 4)) : undefined
  let parsed: { value: T } | { error: unknown }
  try {
    parsed = { value: await parse(watched) }
  } catch (error) {
    parsed = { error }
  }
  head ??= new Uint8Array(await (headRead ?? file.slice(0, 4)))
  tail ??= new Uint8Array(await file.slice(size - 4, size))
  checkEnds(size, head, tail)
  if ('error' in parsed) throw parsed.error
  return parsed.value
}

/** A count or offset of the footer: hyparquet gives an i64 as a bigint, and anything else when damaged. */
function int64(value: unknown, what: string): bigint {
  if (typeof value !== 'bigint' || value < 0n) throw corrupt(`expected ${what} to be a non-negative integer, found ${String(value)}`)
  return value
}

/** The leaf columns of a flattened schema, depth-first, as dotted paths. */
function schemaLeaves(schema: readonly SchemaElement[]): Leaf[] {
  const leaves: Leaf[] = []
  let index = 1
  const walk = (count: number, path: string): void => {
    for (let i = 0; i < count; i++) {
      const element = schema[index++]
      if (element === undefined) throw corrupt(`expected ${schema.length} schema elements to hold every child, found too few`)
      if (typeof element.name !== 'string') throw corrupt(`expected a name for schema element ${index - 1}, found none`)
      const here = path === '' ? element.name : `${path}.${element.name}`
      if (element.num_children) walk(element.num_children, here)
      else leaves.push({ path: here, type: element.type })
    }
  }
  walk(schema[0]?.num_children ?? 0, '')
  return leaves
}

/**
 * Checks that every row group has one column chunk per schema leaf, in schema order, with the leaf's
 * path and physical type, inside the file's `byteLength` bytes, and that the row groups sum to the
 * file's row count.
 * @throws CorruptDataError on the first inconsistency.
 */
export function checkFooter(metadata: FileMetaData, byteLength: number): void {
  const leaves = schemaLeaves(metadata.schema)
  let rows = 0n
  metadata.row_groups.forEach((group, g) => {
    rows += int64(group.num_rows, `num_rows of row group ${g}`)
    if (group.columns.length !== leaves.length) throw corrupt(`expected ${leaves.length} column chunks in row group ${g}, found ${group.columns.length}`)
    group.columns.forEach((chunk, c) => {
      const leaf = leaves[c] as Leaf
      const meta = chunk.meta_data
      const path = Array.isArray(meta?.path_in_schema) ? meta.path_in_schema.join('.') : undefined
      if (meta === undefined || path !== leaf.path || meta.type !== leaf.type) {
        throw corrupt(`expected column chunk ${c} of row group ${g} to be '${leaf.path}' (${String(leaf.type)}), found '${String(path)}' (${String(meta?.type)})`)
      }
      const where = `column chunk '${leaf.path}' of row group ${g}`
      const start = Number(int64(meta.dictionary_page_offset || meta.data_page_offset, `the first page offset of ${where}`))
      const end = start + Number(int64(meta.total_compressed_size, `the size of ${where}`))
      if (!(start >= 4 && end <= byteLength && end > start)) {
        throw corrupt(`expected ${where} inside the file's ${byteLength} bytes, found bytes ${start} to ${end}`)
      }
    })
  })
  if (rows !== int64(metadata.num_rows, 'num_rows')) throw corrupt(`expected num_rows ${rows} (the sum of its row groups), found ${metadata.num_rows}`)
}
