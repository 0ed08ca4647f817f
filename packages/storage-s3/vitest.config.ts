import { defineProject } from 'vitest/config'

// The suite runs on a shared 2-core host next to Ceph and other test processes, where a test that takes
// 30 ms alone has been seen to stall past vitest's 5 s default; tests assert behaviour, never wall time.
export default defineProject({ test: { include: ['test/**/*.test.ts'], testTimeout: 30_000 } })
