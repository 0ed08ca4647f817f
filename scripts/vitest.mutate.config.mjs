// The vitest config of a `npm run mutate` group: exactly the group's test files (LAKE_MUTATE_TESTS, a JSON
// list of globs from the repository root, set by scripts/mutate.mjs). Selecting the tests here rather than
// with Stryker's `testFiles` keeps "static" mutants (module-level constants) activated before the modules
// load: with a test filter Stryker activates every mutant at test start, too late for those.
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  root: fileURLToPath(new URL('..', import.meta.url)),
  test: { include: JSON.parse(process.env.LAKE_MUTATE_TESTS ?? '[]') },
})
