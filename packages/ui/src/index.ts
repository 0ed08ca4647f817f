// @lake/ui: a read-only local web server over a Delta table — overview, history, version detail,
// data at any version, health — and the built page it serves. Used by `lake ui`.
//
//   const ui = await startUiServer({ engine, uri: './events' })
//   console.log(ui.url)   // http://127.0.0.1:PORT/?token=...
//   await ui.close()

export { startUiServer, isLoopback } from './server/start.js'
export type { UiServer, UiServerOptions } from './server/start.js'
export { UiError } from './errors.js'
export type { UiErrorCode } from './errors.js'
export type { Overview } from './api/overview.js'
export type { HistoryPage } from './api/history.js'
export type { CommitSummary } from './api/commit-summary.js'
export type { VersionDetail, FileList } from './api/version-detail.js'
export type { DataPage } from './api/data-page.js'
export type { Health } from './api/health.js'
export type { Finding } from './api/findings.js'
export type { FileShape, SizeBucket, PartitionSize } from './api/file-sizes.js'
export type { FileRow } from './api/file-row.js'
export type { ColumnState, SchemaChange, PropertyChange, ProtocolState } from './api/table-diff.js'
export { valueText } from './api/value-text.js'
