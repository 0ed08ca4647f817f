// The table the server shows, with the caches that keep requests cheap on big tables: one snapshot
// per version (least recently used), the parsed actions and times of recently read commits, and the
// version range. The latest version comes from the `_last_checkpoint` hint and a listing of the log
// from there (not the whole log), re-read once it is a couple of seconds old so new commits appear.

import { DeltaTable } from '@lake/core'
import { commitPath, listLog, LOG_DIR, parseLogPath, readCommit, readLastCheckpoint, versionPrefix, versionRange } from '@lake/core/internal'
import type { Action, Engine, VersionRange } from '@lake/core/internal'
import { isLakeError } from '@lake/storage'
import { Lru } from './lru.js'

/** Snapshots kept (each holds its version's file list). */
const SNAPSHOTS = 8
/** Commits kept (their parsed actions, and their modification times). */
const COMMITS = 2048
/** How long a version range is reused. */
const RANGE_TTL_MS = 2_000

/** What a server shows: a table, the URI the user gave, and the version it was started at. */
export interface TableSourceOptions {
  readonly engine: Engine
  /** The URI as the user typed it (for the `lake` commands the health view suggests). */
  readonly uri: string
  /** The version the page opens at (`--version`/`--timestamp`); default the latest. */
  readonly startVersion?: number
  readonly now?: () => number
}

/** Cached access to one table's versions and commits. */
export class TableSource {
  readonly engine: Engine
  readonly uri: string
  readonly startVersion: number | undefined
  readonly #now: () => number
  readonly #snapshots = new Lru<number, DeltaTable>(SNAPSHOTS)
  readonly #commits = new Lru<number, Action[]>(COMMITS)
  readonly #times = new Lru<number, number | undefined>(COMMITS)
  #range: { at: number; range: Promise<VersionRange> } | undefined

  constructor(options: TableSourceOptions) {
    this.engine = options.engine
    this.uri = options.uri
    this.startVersion = options.startVersion
    this.#now = options.now ?? Date.now
  }

  /** The table at `version`, else at the start version, else at its latest version. */
  async table(version?: number): Promise<DeltaTable> {
    const wanted = version ?? this.startVersion ?? (await this.latestVersion())
    return this.#snapshots.get(wanted, () => DeltaTable.open(this.engine, { version: wanted }))
  }

  /** The table as of a timestamp (Delta's rule: the latest commit at or before it). */
  async tableAt(timestamp: number): Promise<DeltaTable> {
    const latest = await this.table(await this.latestVersion())
    return this.table(await latest.versionAt(timestamp))
  }

  /** The newest version. @throws TableError `TableNotFound`. */
  async latestVersion(): Promise<number> {
    return (await this.versions()).latest
  }

  /**
   * The versions the log holds (reused for a couple of seconds): the latest from the last
   * checkpoint on; the earliest is 0 when commit 0 exists, else found by listing the whole log.
   */
  versions(): Promise<VersionRange> {
    const now = this.#now()
    if (this.#range === undefined || now - this.#range.at > RANGE_TTL_MS) {
      const range = this.#readRange()
      range.catch(() => (this.#range = undefined))
      this.#range = { at: now, range }
    }
    return this.#range.range
  }

  async #readRange(): Promise<VersionRange> {
    const hint = await readLastCheckpoint(this.engine)
    const tail = await listLog(this.engine, hint?.version ?? 0)
    const fromHint = tail.length > 0 ? versionRange(tail, this.engine.store.url) : undefined
    if (fromHint !== undefined && (await this.commitTime(0)) !== undefined) return { earliest: 0, latest: fromHint.latest }
    return versionRange(await listLog(this.engine), this.engine.store.url)
  }

  /** The parsed actions of commit `version`. @throws StorageError `NotFound` when the commit is gone. */
  commit(version: number): Promise<Action[]> {
    return this.#commits.get(version, () => readCommit(this.engine, version))
  }

  /**
   * The modification times of the commit files `from .. to` (epoch ms; versions without a commit
   * file are absent): one listing that starts at `from` and stops after `to`.
   */
  async commitTimes(from: number, to: number): Promise<Map<number, number>> {
    const times = new Map<number, number>()
    const startAfter = from > 0 ? `${LOG_DIR}${versionPrefix(from - 1)}.~` : undefined
    for await (const meta of this.engine.store.list(LOG_DIR, startAfter === undefined ? {} : { startAfter })) {
      const path = parseLogPath(meta.path.slice(LOG_DIR.length))
      if (path === undefined || !('version' in path)) continue
      if (path.version > to) break
      if (path.kind === 'commit') times.set(path.version, meta.lastModified)
    }
    return times
  }

  /** The modification time of commit `version`'s file (epoch ms), undefined when it does not exist. */
  commitTime(version: number): Promise<number | undefined> {
    return this.#times.get(version, async () => {
      try {
        return (await this.engine.store.head(commitPath(version))).lastModified
      } catch (err) {
        if (isLakeError(err, 'NotFound')) return undefined
        throw err
      }
    })
  }
}
