// Replaces `void` (seen only as null) columns of an inferred schema with string, so a table can
// be created from a sample with all-null columns.

import type { DataType, StructType } from '@lake/parquet'

const STRING: DataType = { kind: 'primitive', name: 'string' }

/** The schema with every top-level `void` column typed as string. */
export function withoutVoid(schema: StructType): StructType {
  return {
    ...schema,
    fields: schema.fields.map((f) => (f.type.kind === 'primitive' && f.type.name === 'void' ? { ...f, type: STRING } : f)),
  }
}
