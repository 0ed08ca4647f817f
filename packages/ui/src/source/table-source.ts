// The table the server shows, with the caches that keep requests cheap on big tables: one snapshot
// per version (least recently used), the parsed actions of recently read commits, and the log
// listing, listed again once it is a few seconds old so new commits appear.

import { DeltaTable } from '@lake/core'
import { listLog, readCommit, versionRange } from '@lake/core/internal'
import type { Action, Engine, LogEntry } from '@lake/core/internal'
import { Lru } from './lru.js'

/** Snapshots kept (each holds its version's file list). */
const SNAPSHOTS = 8
/** Commits kept (their parsed actions). */
const COMMITS = 256
/** How long a log listing is reused. */
const LISTING_TTL_MS = 2_000

/** What a server shows: a table, the URI the user gave, and the version it was started at. */
export interface TableSourceOptions {
  readonly engine: Engine
  /** The URI as the user typed it (for the `lake` commands the health view suggests). */
  readonly uri: string
  /** The version the page opens at (`--version`/`--timestamp`); default the latest. */
  readonly startVersion?: number
  readonly now?: () => number
}

/** Cached access to one table's versions, commits and log listing. */
export class TableSource {
  readonly engine: Engine
  readonly uri: string
  readonly startVersion: number | undefined
  readonly #now: () => number
  readonly #snapshots = new Lru<number, DeltaTable>(SNAPSHOTS)
  readonly #commits = new Lru<number, Action[]>(COMMITS)
  #listing: { at: number; entries: Promise<LogEntry[]> } | undefined

  constructor(options: TableSourceOptions) {
    this.engine = options.engine
    this.uri = options.uri
    this.startVersion = options.startVersion
    this.#now = options.now ?? Date.now
  }

  /** The table at `version`, else at the start version, else at its latest version. */
  async table(version?: number): Promise<DeltaTable> {
    const wanted = version ?? this.startVersion
    if (wanted !== undefined) return this.#snapshots.get(wanted, () => DeltaTable.open(this.engine, { version: wanted }))
    const latest = await this.latestVersion()
    return this.#snapshots.get(latest, () => DeltaTable.open(this.engine, { version: latest }))
  }

  /** The table as of a timestamp (Delta's rule: the latest commit at or before it). */
  async tableAt(timestamp: number): Promise<DeltaTable> {
    const latest = await this.table(await this.latestVersion())
    return this.table(await latest.versionAt(timestamp))
  }

  /** The newest version in the current listing. @throws TableError `TableNotFound`. */
  async latestVersion(): Promise<number> {
    return versionRange(await this.listing(), this.engine.store.url).latest
  }

  /** The log files, sorted by name (reused for a few seconds). */
  listing(): Promise<LogEntry[]> {
    const now = this.#now()
    if (this.#listing === undefined || now - this.#listing.at > LISTING_TTL_MS) {
      const entries = listLog(this.engine)
      entries.catch(() => (this.#listing = undefined))
      this.#listing = { at: now, entries }
    }
    return this.#listing.entries
  }

  /** The parsed actions of commit `version`. @throws StorageError `NotFound` when the commit is gone. */
  commit(version: number): Promise<Action[]> {
    return this.#commits.get(version, () => readCommit(this.engine, version))
  }
}
