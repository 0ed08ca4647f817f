// The operations of a table, one folder each: `<op>/plan.ts` (pure, over a snapshot) and
// `<op>/execute.ts` (I/O and the commit through a Transaction). Operations never import each other;
// `DeltaTable` exposes each as a method (`table.vacuum({ dryRun: false })`). Re-exports only.

export { MaintenanceError, type MaintenanceErrorCode } from '../errors.js'
export { planVacuum, isHiddenPath, type VacuumInput, type VacuumPlan } from './vacuum/plan.js'
export { vacuum, type VacuumOptions, type VacuumResult } from './vacuum/execute.js'
export { planOptimize, DEFAULT_OPTIMIZE_TARGET_BYTES, type OptimizeInput, type OptimizeBin, type OptimizePlan } from './optimize/plan.js'
export { optimize, type OptimizeOptions, type OptimizeMetrics, type OptimizeResult } from './optimize/execute.js'
export { planRestore, type RestoreState, type RestoreMetrics, type RestorePlan } from './restore/plan.js'
export { restore, type RestoreTarget, type RestoreOptions, type RestoreResult } from './restore/execute.js'
export { checkpoint, type CheckpointOptions } from './checkpoint/execute.js'
export { planLogCleanup, type LogCleanupInput, type LogCleanupPlan } from './cleanup-log/plan.js'
export { cleanupLog, type CleanupLogOptions, type CleanupLogResult } from './cleanup-log/execute.js'
