// Table properties (`metaData.configuration`) parsed into typed values with the Delta defaults,
// including Spark CalendarInterval strings for retention durations. Pure.

import { LakeError } from '@lake/storage'
import type { ColumnMappingMode } from '../schema/column-mapping.js'

const DAY_MS = 86_400_000

/** Spark/Delta defaults (DeltaConfig.scala). */
const DEFAULT_CHECKPOINT_INTERVAL = 10 // commits
const DEFAULT_LOG_RETENTION_MS = 30 * DAY_MS // interval 30 days
const DEFAULT_DELETED_FILE_RETENTION_MS = 7 * DAY_MS // interval 1 week
const DEFAULT_CHECKPOINT_RETENTION_MS = 2 * DAY_MS // interval 2 days
const DEFAULT_NUM_INDEXED_COLS = 32 // leaf columns

/** `delta.isolationLevel`. */
export type IsolationLevel = 'Serializable' | 'WriteSerializable'

/** Typed table properties. `raw` holds every property, known or not. */
export interface TableConfig {
  readonly raw: Readonly<Record<string, string>>
  readonly appendOnly: boolean
  readonly checkpointInterval: number
  readonly logRetentionMs: number
  readonly deletedFileRetentionMs: number
  readonly checkpointRetentionMs: number
  readonly enableExpiredLogCleanup: boolean
  readonly dataSkippingNumIndexedCols: number
  /** Leaf columns that get file statistics on write: `dataSkippingNumIndexedCols`, where -1 means all (all too when `dataSkippingStatsColumns` is set). */
  readonly statsColumnLimit: number
  readonly dataSkippingStatsColumns?: readonly string[]
  readonly checkpointWriteStatsAsJson: boolean
  readonly checkpointWriteStatsAsStruct: boolean
  readonly enableChangeDataFeed: boolean
  readonly columnMappingMode: ColumnMappingMode
  readonly columnMappingMaxId?: number
  readonly enableDeletionVectors: boolean
  readonly isolationLevel: IsolationLevel
  readonly enableInCommitTimestamps: boolean
  readonly inCommitTimestampEnablementVersion?: number
  readonly inCommitTimestampEnablementTimestamp?: number
  readonly setTransactionRetentionMs?: number
  /** `delta.constraints.<name>` → CHECK expression. */
  readonly constraints: Readonly<Record<string, string>>
  readonly parquetCompressionCodec?: string
}

/** A table property holds a value that does not parse. */
export class TableConfigError extends LakeError {
  declare readonly code: 'InvalidConfig'
  constructor(key: string, expected: string, found: string) {
    super('InvalidConfig', `invalid table property '${key}': expected ${expected}, found '${found}'`, { context: { key } })
  }
}

/**
 * Parses table properties into a `TableConfig`; absent properties take the Delta defaults.
 * @throws TableConfigError `InvalidConfig` naming the property whose value does not parse.
 */
export function parseTableConfig(configuration: Readonly<Record<string, string>>): TableConfig {
  const p = new PropertyReader(configuration)
  const constraints: Record<string, string> = {}
  for (const [key, value] of Object.entries(configuration)) {
    if (key.startsWith('delta.constraints.')) constraints[key.slice('delta.constraints.'.length)] = value
  }
  const statsColumns = configuration['delta.dataSkippingStatsColumns']
  const numIndexedCols = p.integer('delta.dataSkippingNumIndexedCols') ?? DEFAULT_NUM_INDEXED_COLS
  return {
    raw: configuration,
    appendOnly: p.boolean('delta.appendOnly', false),
    checkpointInterval: p.positiveInt('delta.checkpointInterval') ?? DEFAULT_CHECKPOINT_INTERVAL,
    logRetentionMs: p.interval('delta.logRetentionDuration') ?? DEFAULT_LOG_RETENTION_MS,
    deletedFileRetentionMs: p.interval('delta.deletedFileRetentionDuration') ?? DEFAULT_DELETED_FILE_RETENTION_MS,
    checkpointRetentionMs: p.interval('delta.checkpointRetentionDuration') ?? DEFAULT_CHECKPOINT_RETENTION_MS,
    enableExpiredLogCleanup: p.boolean('delta.enableExpiredLogCleanup', true),
    dataSkippingNumIndexedCols: numIndexedCols,
    // Listed stats columns override the count: writers collect every column, the commit keeps the listed ones.
    statsColumnLimit: numIndexedCols < 0 || statsColumns !== undefined ? Number.MAX_SAFE_INTEGER : numIndexedCols,
    dataSkippingStatsColumns: statsColumns === undefined ? undefined : statsColumns.split(',').map((c) => c.trim()).filter((c) => c !== ''),
    checkpointWriteStatsAsJson: p.boolean('delta.checkpoint.writeStatsAsJson', true),
    checkpointWriteStatsAsStruct: p.boolean('delta.checkpoint.writeStatsAsStruct', false),
    enableChangeDataFeed: p.boolean('delta.enableChangeDataFeed', false),
    columnMappingMode: p.oneOf('delta.columnMapping.mode', ['none', 'id', 'name'] as const) ?? 'none',
    columnMappingMaxId: p.integer('delta.columnMapping.maxColumnId'),
    enableDeletionVectors: p.boolean('delta.enableDeletionVectors', false),
    isolationLevel: p.oneOf('delta.isolationLevel', ['Serializable', 'WriteSerializable'] as const) ?? 'WriteSerializable',
    enableInCommitTimestamps: p.boolean('delta.enableInCommitTimestamps', false),
    inCommitTimestampEnablementVersion: p.integer('delta.inCommitTimestampEnablementVersion'),
    inCommitTimestampEnablementTimestamp: p.integer('delta.inCommitTimestampEnablementTimestamp'),
    setTransactionRetentionMs: p.interval('delta.setTransactionRetentionDuration'),
    constraints,
    parquetCompressionCodec: configuration['delta.parquet.compression.codec'],
  }
}

const INTERVAL_UNITS_MS: Readonly<Record<string, number>> = {
  week: 7 * DAY_MS,
  day: DAY_MS,
  hour: 3_600_000,
  minute: 60_000,
  second: 1000,
  millisecond: 1,
  microsecond: 0.001,
}

const INTERVAL_PART = /(-?\d+(?:\.\d+)?)\s*([a-z]+)/g

/**
 * Parses a Spark CalendarInterval string (`interval 7 days`, `1 week`, `interval 1 day 12 hours`)
 * into milliseconds. Months and years are refused, as Delta does (not a fixed length).
 * @returns The duration in ms, or `undefined` when the string is not such an interval.
 */
export function parseInterval(text: string): number | undefined {
  const body = text.trim().toLowerCase().replace(/^interval\s+/, '')
  if (body === '') return undefined
  let total = 0
  let consumed = ''
  for (const match of body.matchAll(INTERVAL_PART)) {
    const unit = (match[2] ?? '').replace(/s$/, '')
    const ms = INTERVAL_UNITS_MS[unit]
    if (ms === undefined) return undefined
    total += Number(match[1]) * ms
    consumed += match[0]
  }
  return consumed.replace(/\s/g, '') === body.replace(/\s/g, '') ? Math.round(total) : undefined
}

class PropertyReader {
  readonly #config: Readonly<Record<string, string>>
  constructor(config: Readonly<Record<string, string>>) {
    this.#config = config
  }

  boolean(key: string, fallback: boolean): boolean {
    const v = this.#config[key]
    if (v === undefined) return fallback
    const lower = v.trim().toLowerCase()
    if (lower === 'true' || lower === 'false') return lower === 'true'
    throw new TableConfigError(key, "'true' or 'false'", v)
  }

  integer(key: string): number | undefined {
    const v = this.#config[key]
    if (v === undefined) return undefined
    const n = Number(v.trim())
    if (v.trim() !== '' && Number.isSafeInteger(n)) return n
    throw new TableConfigError(key, 'an integer', v)
  }

  positiveInt(key: string): number | undefined {
    const n = this.integer(key)
    if (n !== undefined && n <= 0) throw new TableConfigError(key, 'a positive integer', String(n))
    return n
  }

  interval(key: string): number | undefined {
    const v = this.#config[key]
    if (v === undefined) return undefined
    return parseInterval(v) ?? this.#fail(key, "an interval like 'interval 7 days'", v)
  }

  oneOf<T extends string>(key: string, values: readonly T[]): T | undefined {
    const v = this.#config[key]
    if (v === undefined) return undefined
    const found = values.find((x) => x.toLowerCase() === v.trim().toLowerCase())
    return found ?? this.#fail(key, `one of ${values.join(', ')}`, v)
  }

  #fail(key: string, expected: string, found: string): never {
    throw new TableConfigError(key, expected, found)
  }
}
