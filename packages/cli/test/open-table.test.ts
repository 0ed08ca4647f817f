// engineFor: the engine a command gets for a table URI keeps everything resolveTable gave it
// (store, codec) and takes the clock from the CLI's IO.

import { PassThrough } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { DEFAULT_CODEC } from '@lake/core/internal'
import { describe, expect, it } from 'vitest'
import { Context } from '../src/context.js'
import { engineFor } from '../src/open-table.js'

const GOLDEN = fileURLToPath(new URL('../../../fixtures/golden/', import.meta.url))

function context(now: number): Context {
  const stream = (): PassThrough => new PassThrough()
  return new Context({ stdout: stream(), stderr: stream(), stdin: stream(), env: {}, stdoutIsTTY: false, stderrIsTTY: false, now: () => now })
}

describe('engineFor', () => {
  it('carries the codec of the resolved engine and the clock of the IO', async () => {
    const engine = await engineFor(context(1234), GOLDEN, {})
    expect(engine.codec).toBe(DEFAULT_CODEC)
    expect(engine.now()).toBe(1234)
  })
})
