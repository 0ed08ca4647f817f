// When a commit needs change data files (docs/row-level-plan.md §7; Spark's CDCReader rule). A version
// with any `cdc` action is read only from its cdc files; one without is inferred from its actions
// (adds = insert, removes = delete, a remove+add pair of one path = the deletion-vector difference).
// So cdc files are needed exactly when inference would be wrong: the commit updates rows, or rewrites a
// file copy-on-write (its remove+add would read as "delete every row, insert the copies"). When needed,
// they hold every change of the commit. Pure.

/** What a row-level commit did, as far as the change data feed cares. */
export interface CommitChanges {
  /** `delta.enableChangeDataFeed` is true on the table the commit writes. */
  readonly changeDataFeed: boolean
  /** The commit records `update_preimage`/`update_postimage` pairs. */
  readonly hasUpdates: boolean
  /** The commit rewrote a data file copy-on-write (removed it and added a copy of its kept rows). */
  readonly rewritesFiles: boolean
}

/** True when the commit must carry `cdc` actions holding every change it makes. */
export function needsChangeDataFiles(commit: CommitChanges): boolean {
  return commit.changeDataFeed && (commit.hasUpdates || commit.rewritesFiles)
}
