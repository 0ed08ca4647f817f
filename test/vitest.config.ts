import { defineProject } from 'vitest/config'

// Cross-package integration tests: S3 server, multi-process writers, golden tables, CLI end to end.
export default defineProject({ test: { include: ['**/*.test.ts'], testTimeout: 120_000, hookTimeout: 120_000 } })
