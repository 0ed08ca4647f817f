// StrykerJS base configuration. `npm run mutate -- <source file>` (scripts/mutate.mjs) adds, per file:
// the file to mutate, its package's vitest config and tsconfig, and the report file names.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  checkers: ['typescript'],
  coverageAnalysis: 'perTest',
  concurrency: 1, // the machine is shared; one test-runner process at a time
  reporters: ['json', 'html', 'clear-text', 'progress-append-only'],
  clearTextReporter: { allowColor: false, logTests: false },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  timeoutMS: 20_000,
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  ignorePatterns: ['/reports', '/bench', '/coverage', '**/.turbo'],
  thresholds: { high: 90, low: 90 },
}
