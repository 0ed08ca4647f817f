// The repository's temporary directories for tests (test/temp-dir.ts: each removed after the test
// file that made it), under the name this package's tests import.
export { tempDir } from '../../../test/temp-dir.js'
