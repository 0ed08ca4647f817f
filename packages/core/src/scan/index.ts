// Public surface of the scan module: planning (pure) and streaming rows.
export * from './plan-scan.js'
export * from './scan.js'
export { readAhead } from './read-ahead.js'
export { valueRenamer, type ValueRenamer } from './rename-columns.js'
export { compileFileReader, dataFileKey, readScanFile, readScanFileIndexed, type FileReader, type IndexedRows, type ReadScanFileOptions } from './read-scan-file.js'
export { scanArrow, scanOutputSchema, scanToArrow } from './scan-arrow.js'
