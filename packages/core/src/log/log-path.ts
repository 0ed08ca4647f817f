// Names of the files in `_delta_log/` (PROTOCOL.md#Delta Log Entries, #Checkpoints, #Log Compaction
// Files, #Last Checkpoint File, #Version Checksum File). Anything else is ignored. Pure.

/** The log directory, relative to the table root. */
export const LOG_DIR = '_delta_log/'
/** The sidecar directory of V2 checkpoints, relative to the table root. */
export const SIDECAR_DIR = '_delta_log/_sidecars/'
/** The `_last_checkpoint` hint, relative to the table root. */
export const LAST_CHECKPOINT_PATH = '_delta_log/_last_checkpoint'

/** What one log file is, by its name. */
export type LogPath =
  | { readonly kind: 'commit'; readonly version: number }
  | { readonly kind: 'checkpoint'; readonly version: number; readonly format: 'classic' }
  | { readonly kind: 'checkpoint'; readonly version: number; readonly format: 'multi-part'; readonly part: number; readonly parts: number }
  | { readonly kind: 'checkpoint'; readonly version: number; readonly format: 'v2'; readonly uuid: string; readonly ext: 'json' | 'parquet' }
  | { readonly kind: 'compaction'; readonly version: number; readonly endVersion: number }
  | { readonly kind: 'crc'; readonly version: number }
  | { readonly kind: 'lastCheckpoint' }

const COMMIT = /^(\d{20})\.json$/
const CLASSIC = /^(\d{20})\.checkpoint\.parquet$/
const MULTI_PART = /^(\d{20})\.checkpoint\.(\d{10})\.(\d{10})\.parquet$/
const V2 = /^(\d{20})\.checkpoint\.([0-9a-fA-F-]{36})\.(json|parquet)$/
const COMPACTION = /^(\d{20})\.(\d{20})\.compacted\.json$/
const CRC = /^(\d{20})\.crc$/

/**
 * Classifies a file name inside `_delta_log/` (no directory part). Files in subdirectories
 * (`_sidecars/`, `_staged_commits/`), temp files and anything unexpected yield `undefined`.
 */
export function parseLogPath(name: string): LogPath | undefined {
  if (name === '_last_checkpoint') return { kind: 'lastCheckpoint' }
  let m = COMMIT.exec(name)
  if (m) return withVersion(m[1], (version) => ({ kind: 'commit', version }))
  m = CLASSIC.exec(name)
  if (m) return withVersion(m[1], (version) => ({ kind: 'checkpoint', version, format: 'classic' }))
  m = MULTI_PART.exec(name)
  if (m) {
    const part = Number(m[2])
    const parts = Number(m[3])
    if (part < 1 || part > parts) return undefined
    return withVersion(m[1], (version) => ({ kind: 'checkpoint', version, format: 'multi-part', part, parts }))
  }
  m = V2.exec(name)
  if (m) {
    const uuid = m[2] ?? ''
    const ext = m[3] === 'json' ? 'json' : 'parquet'
    return withVersion(m[1], (version) => ({ kind: 'checkpoint', version, format: 'v2', uuid, ext }))
  }
  m = COMPACTION.exec(name)
  if (m) {
    const endVersion = Number(m[2])
    return withVersion(m[1], (version) => (version < endVersion ? { kind: 'compaction', version, endVersion } : undefined))
  }
  m = CRC.exec(name)
  if (m) return withVersion(m[1], (version) => ({ kind: 'crc', version }))
  return undefined
}

function withVersion(digits: string | undefined, make: (version: number) => LogPath | undefined): LogPath | undefined {
  const version = Number(digits)
  return Number.isSafeInteger(version) ? make(version) : undefined
}

/** The zero-padded 20-digit version prefix of log file names. */
export function versionPrefix(version: number): string {
  return version.toString().padStart(20, '0')
}

/** The key of commit `version` relative to the table root. */
export function commitPath(version: number): string {
  return `${LOG_DIR}${versionPrefix(version)}.json`
}

/** The key of the classic checkpoint of `version` relative to the table root. */
export function classicCheckpointPath(version: number): string {
  return `${LOG_DIR}${versionPrefix(version)}.checkpoint.parquet`
}
