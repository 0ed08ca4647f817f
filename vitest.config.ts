import { defineConfig } from 'vitest/config'

// One root config: every package's tests plus the cross-package integration tests in test/.
export default defineConfig({
  test: {
    projects: ['packages/*', 'test'],
  },
})
