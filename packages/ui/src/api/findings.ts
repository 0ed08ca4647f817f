// The health findings and the `lake` command that fixes each: compact small files and files with
// deletion vectors (optimize), write a checkpoint, vacuum unreferenced files. Skewed partitions are
// reported without a command (no lake command rebalances partitions). Pure.

import type { FileShape } from './file-sizes.js'

export interface Finding {
  readonly kind: 'smallFiles' | 'deletionVectors' | 'checkpoint' | 'vacuum' | 'skew'
  readonly message: string
  /** The command to run, or null when no lake command fixes it. */
  readonly command: string | null
}

/** What `findings` looks at. */
export interface HealthFacts extends FileShape {
  readonly checkpoint: { readonly version: number | null; readonly commitsSince: number; readonly interval: number }
  readonly vacuum: { readonly retentionHours: number; readonly files: number; readonly bytes: number } | { readonly error: string }
}

/** Partitions this many times larger than the median are reported. */
const SKEW_FACTOR = 10

/** The findings about a table at `uri`; `customTarget` adds `--target-size` to optimize. */
export function findings(uri: string, facts: HealthFacts, customTarget: boolean): Finding[] {
  const table = shellQuote(uri)
  const optimize = `lake optimize ${table}${customTarget ? ` --target-size ${facts.targetBytes}` : ''}`
  const out: Finding[] = []
  if (facts.compactable.files > 0) {
    out.push({ kind: 'smallFiles', message: `${facts.compactable.files} files (${facts.compactable.bytes} bytes) are smaller than the target size of ${facts.targetBytes} bytes and can be compacted`, command: optimize })
  }
  if (facts.deletionVectors.files > 0) {
    out.push({ kind: 'deletionVectors', message: `${facts.deletionVectors.files} files carry deletion vectors (${facts.deletionVectors.deletedRows} deleted rows still stored); rewriting them drops those rows`, command: optimize })
  }
  if (facts.checkpoint.commitsSince > facts.checkpoint.interval) {
    out.push({ kind: 'checkpoint', message: `${facts.checkpoint.commitsSince} commits since the last checkpoint (interval ${facts.checkpoint.interval}): every reader replays them`, command: `lake checkpoint ${table}` })
  }
  if ('bytes' in facts.vacuum && facts.vacuum.files > 0) {
    out.push({ kind: 'vacuum', message: `vacuum would delete ${facts.vacuum.files} unreferenced files (${facts.vacuum.bytes} bytes) older than the retention of ${facts.vacuum.retentionHours} hours`, command: `lake vacuum ${table} --execute` })
  }
  const largest = facts.partitions.largest[0]
  if (largest !== undefined && facts.partitions.count > 1 && largest.bytes > SKEW_FACTOR * Math.max(1, facts.partitions.medianBytes)) {
    out.push({ kind: 'skew', message: `the largest partition holds ${largest.bytes} bytes, more than ${SKEW_FACTOR} times the median of ${facts.partitions.medianBytes} bytes`, command: null })
  }
  return out
}

/** `uri` as one POSIX shell word. */
export function shellQuote(uri: string): string {
  return /^[\w@%+=:,./-]+$/.test(uri) ? uri : `'${uri.replaceAll("'", "'\\''")}'`
}
