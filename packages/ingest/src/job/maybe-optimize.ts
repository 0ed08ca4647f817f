// Small files: runs the core's bin-packing `optimize` (dataChange=false) every N committed batches.

import { optimize } from '@lake/core/internal'
import type { Engine } from '@lake/core'
import type { IngestEventHandler } from '../types.js'

/** When and how to compact. */
export interface OptimizeSchedule {
  readonly every?: number | undefined
  readonly targetBytes?: number | undefined
  readonly batchId: number
  readonly appId: string
  readonly onEvent?: IngestEventHandler | undefined
  readonly signal: AbortSignal
}

/**
 * Compacts the table when `batchId + 1` is a multiple of `every`. Compaction commits with
 * dataChange=false, so it never carries the job's txn and never changes what readers count.
 */
export async function maybeOptimize(engine: Engine, schedule: OptimizeSchedule): Promise<void> {
  const every = schedule.every
  if (every === undefined || every <= 0 || (schedule.batchId + 1) % every !== 0) return
  const result = await optimize(engine, {
    ...(schedule.targetBytes === undefined ? {} : { targetSizeBytes: schedule.targetBytes }),
    signal: schedule.signal,
  })
  schedule.onEvent?.({ type: 'optimized', appId: schedule.appId, batchId: schedule.batchId, version: result.version })
}
