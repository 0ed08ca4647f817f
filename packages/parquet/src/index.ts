// Public API of @lake/parquet: the Delta <-> Parquet codec. Re-exports only: the row entry
// (`@lake/parquet/rows`, no apache-arrow) and the Arrow entry (`@lake/parquet/arrow`). Code that must
// not load apache-arrow and parquet-wasm (@lake/core, the CLI's row commands) imports the row entry.
export * from './rows.js'
export * from './arrow/index.js'
