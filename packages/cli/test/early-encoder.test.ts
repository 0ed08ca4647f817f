// startEarlyEncoder: `lake ingest` starts the line route's encoder pool before it loads the table code,
// only when the options and the input say the line route runs (plain NDJSON append of a file).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { lineEncoderThreads, startEarlyEncoder } from '../src/ingest/early-encoder.js'

const dir = mkdtempSync(join(tmpdir(), 'lake-early-encoder-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))
const file = join(dir, 'rows.ndjson')
writeFileSync(file, '{"id":1}\n')

describe('startEarlyEncoder', () => {
  it('starts a pool sized to the input for a plain NDJSON append of a file', async () => {
    const encoder = await startEarlyEncoder({ mode: 'append', path: file, format: 'ndjson' })
    try {
      expect(encoder?.concurrency).toBe(lineEncoderThreads(undefined, 9))
      expect(encoder?.concurrency).toBe(1)
    } finally {
      await encoder?.close()
    }
  })

  it.each([
    ['an --app-id job', { mode: 'append', appId: 'job', path: file, format: 'ndjson' }],
    ['CSV input', { mode: 'append', path: file, format: 'csv' }],
    ['--mode overwrite', { mode: 'overwrite', path: file, format: 'ndjson' }],
    ['--schema-mode merge', { mode: 'append', schemaMode: 'merge', path: file, format: 'ndjson' }],
    ['--replace-where', { mode: 'append', replaceWhere: 'id = 1', path: file, format: 'ndjson' }],
    ['stdin', { mode: 'append', path: undefined, format: 'ndjson' }],
    ['a missing file', { mode: 'append', path: join(dir, 'missing.ndjson'), format: 'ndjson' }],
    ['a directory', { mode: 'append', path: dir, format: 'ndjson' }],
  ])('starts nothing for %s (the pipeline decides and reports as before)', async (_, request) => {
    expect(await startEarlyEncoder(request)).toBeUndefined()
  })
})
