// GET /api/health: why a table may be slow or large, at its latest version — small files against the
// target size, partition skew, commits since the last checkpoint, deletion-vector coverage and the
// bytes vacuum would delete at the table's retention — each finding with the `lake` command that
// fixes it. Vacuum's dry run lists the table's files, so the result is cached per version.

import type { DeltaTable } from '@lake/core'
import type { TableSource } from '../source/table-source.js'
import { DEFAULT_TARGET_BYTES, fileShape } from './file-sizes.js'
import type { FileShape } from './file-sizes.js'
import { findings } from './findings.js'
import type { Finding } from './findings.js'

export interface Health extends FileShape {
  readonly version: number
  readonly checkpoint: { readonly version: number | null; readonly commitsSince: number; readonly interval: number }
  readonly vacuum: { readonly retentionHours: number; readonly files: number; readonly bytes: number } | { readonly error: string }
  readonly findings: readonly Finding[]
}

/** The health of `table` (a table's latest version: vacuum looks at the present). */
export async function health(source: TableSource, table: DeltaTable): Promise<Health> {
  const config = table.snapshot.config
  const target = targetBytes(table.metadata.configuration['delta.targetFileSize'])
  const shape = fileShape(table.files(), target)
  const checkpointVersion = table.snapshot.segment.checkpoint?.version ?? null
  const checkpoint = { version: checkpointVersion, commitsSince: table.version - (checkpointVersion ?? -1), interval: config.checkpointInterval }
  const vacuum = await vacuumDryRun(table, config.deletedFileRetentionMs)
  const base = { version: table.version, ...shape, checkpoint, vacuum }
  return { ...base, findings: findings(source.uri, base, target !== DEFAULT_TARGET_BYTES) }
}

/** `delta.targetFileSize` in bytes when set to a positive integer, else optimize's default. */
function targetBytes(property: string | undefined): number {
  const n = property === undefined || !/^\d+$/.test(property.trim()) ? Number.NaN : Number(property.trim())
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_TARGET_BYTES
}

async function vacuumDryRun(table: DeltaTable, retentionMs: number): Promise<Health['vacuum']> {
  try {
    const result = await table.vacuum({ dryRun: true })
    return { retentionHours: retentionMs / 3_600_000, files: result.numFiles, bytes: result.sizeInBytes }
  } catch (err) {
    return { error: err instanceof Error ? err.message : String(err) }
  }
}
