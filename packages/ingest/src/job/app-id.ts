// The job id rule (`appId`), in a module of its own with no imports so that the CLI's option parser
// can check `--app-id` without loading the ingest pipeline (subpath `@lake/ingest/app-id`).

const APP_ID = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * True when `appId` can name a job: 1-128 of `[A-Za-z0-9._:-]`, and not `.` or `..` (it names
 * the state directory `_lake_ingest/<appId>/`, which must not be the parent or the prefix itself).
 */
export function isValidAppId(appId: string): boolean {
  return APP_ID.test(appId) && appId !== '.' && appId !== '..'
}
