// Which live files a row-level operation must look at (docs/row-level-plan.md §2.1). Pure: no
// predicate selects every file whole; a partition-only predicate decides whole files exactly from
// partition values; any other predicate keeps the files whose stats cannot rule it out, to be read.

import type { AddFile } from '../actions/types.js'
import type { FilePredicate } from '../expr/file-predicate.js'

/** The files an operation affects whole (no data read) and the files it must read row by row. */
export interface Candidates {
  readonly whole: readonly AddFile[]
  readonly read: readonly AddFile[]
}

/** Splits `files` into whole-file candidates and files to read, by the predicate's per-file test. */
export function candidateFiles(files: readonly AddFile[], predicate: FilePredicate | undefined): Candidates {
  if (predicate === undefined) return { whole: files, read: [] }
  const matching = files.filter((file) => predicate.matchesFile(file.partitionValues, file.stats))
  return predicate.partitionOnly ? { whole: matching, read: [] } : { whole: [], read: matching }
}
