// The value helpers @lake/core takes from @lake/parquet: no codec, no I/O. Every other module of the
// core imports @lake/parquet for types only (the codec comes with the Engine, engine.ts), so this is
// the one list of parquet values the core uses, which the architecture rules allow by path.
//
//   import { setField } from '../parquet-values.js'
//   setField(row, name, value)   // an own property, also when the column is named __proto__

export { civilFromDays, daysFromCivil } from '@lake/parquet'
export { setField } from '@lake/parquet'
export { arrowBatchToRows, arrowToDeltaSchema } from '@lake/parquet'
export { arrowTableOf, rowsToArrow } from '@lake/parquet'
export { batchBuilderFor } from '@lake/parquet'
export { batchOfColumns, columnBytes, hasCanonicalType, integerKeyNumbers, keyColumnValues, takeColumn } from '@lake/parquet'
