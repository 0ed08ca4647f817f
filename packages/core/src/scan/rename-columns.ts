// Physical -> logical names for rows read from data files under column mapping (PROTOCOL.md#Column
// Mapping): nested struct fields too, inside arrays and maps (schema/rename-values.ts). Pure; compiled
// once per scan.

import type { DataType } from '@lake/parquet'
import type { ColumnMappingMode } from '../schema/column-mapping.js'
import { nestedRenamer } from '../schema/rename-values.js'
import type { ValueRenamer } from '../schema/rename-values.js'

export type { ValueRenamer }

/** The renamer of a logical type's values read under physical names; undefined without mapping. */
export function valueRenamer(type: DataType, mode: ColumnMappingMode): ValueRenamer {
  return mode === 'none' ? undefined : nestedRenamer(type, mode, 'logical')
}
