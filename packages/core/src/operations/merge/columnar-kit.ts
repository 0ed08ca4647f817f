// The Arrow-using parts of a MERGE (the columnar executor and the columnar writer, over
// arrow-values.ts: apache-arrow, parquet-wasm). execute.ts loads this module with `import()` only for
// a MERGE whose clauses are a plain upsert (the only one either can run), so importing @lake/core, or
// running any other MERGE, loads no Arrow code.

export { runColumnar } from './columnar-execute.js'
export { hashColumns } from './columnar-hash.js'
export { sourceColumns } from './columnar-source.js'
export { columnarWriterFor } from './columnar-writer.js'
