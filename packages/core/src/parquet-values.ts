// The value helpers @lake/core takes from @lake/parquet: no codec, no I/O, no Arrow (from the row
// entry `@lake/parquet/rows`, which loads neither apache-arrow nor parquet-wasm). Every other module
// of the core imports @lake/parquet for types only (the codec comes with the Engine, engine.ts; the
// Arrow helpers with arrow-values.ts), so this is the one list of parquet values the core uses, which
// the architecture rules allow by path.
//
//   import { setField } from '../parquet-values.js'
//   setField(row, name, value)   // an own property, also when the column is named __proto__

export { civilFromDays, daysFromCivil } from '@lake/parquet/rows'
export { setField } from '@lake/parquet/rows'
export { containsPrimitive } from '@lake/parquet/rows'
