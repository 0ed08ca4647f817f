// Table maintenance operations (vacuum, optimize, restore, checkpoint, log cleanup): pure plans
// and the functions that execute them against an Engine. Re-exports only.

export { MaintenanceError, type MaintenanceErrorCode } from '../errors.js'
export { planVacuum, isHiddenPath, type VacuumInput, type VacuumPlan } from './plan-vacuum.js'
export { vacuum, type VacuumOptions, type VacuumResult } from './vacuum.js'
export { planOptimize, DEFAULT_OPTIMIZE_TARGET_BYTES, type OptimizeInput, type OptimizeBin, type OptimizePlan } from './plan-optimize.js'
export { optimize, type OptimizeOptions, type OptimizeMetrics, type OptimizeResult } from './optimize.js'
export { planRestore, type RestoreState, type RestoreMetrics, type RestorePlan } from './plan-restore.js'
export { restore, type RestoreTarget, type RestoreOptions, type RestoreResult } from './restore.js'
export { checkpoint } from './checkpoint.js'
export { planLogCleanup, type LogCleanupInput, type LogCleanupPlan } from './plan-log-cleanup.js'
export { cleanupLog, type CleanupLogOptions, type CleanupLogResult } from './cleanup-log.js'
