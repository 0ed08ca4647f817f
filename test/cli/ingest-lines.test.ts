// A value its column refuses is reported at its 1-based line of the input file (or record of a CSV
// input), on every `lake ingest` route, never as a 0-based row index.

import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { lake, tempDir } from './cli-harness.js'

let dir = ''
let cleanup = (): void => undefined
/** Line 2 is blank; the bad value is on line 4 (the 3rd record, row index 2). */
const BAD_ON_LINE_4 = '{"id":1}\n\n{"id":2}\n{"id":"bad"}\n'

beforeAll(() => {
  ;({ dir, cleanup } = tempDir('ingest-lines'))
  writeFileSync(join(dir, 'bad.ndjson'), BAD_ON_LINE_4)
  writeFileSync(join(dir, 'typed.ndjson'), '{"id":0}\n')
})
afterAll(() => cleanup())

describe('lake ingest names the line of a refused value', () => {
  it.each([
    ['a plain append', [] as string[]],
    ['--mode overwrite', ['--mode', 'overwrite']],
    ['--schema-mode merge', ['--schema-mode', 'merge']],
    ['an --app-id job', ['--app-id', 'lines-job']],
  ])('%s', async (name, extra) => {
    const table = join(dir, name.replace(/\W+/g, '-'))
    expect((await lake(['ingest', join(dir, 'typed.ndjson'), table])).code).toBe(0)
    const r = await lake(['ingest', join(dir, 'bad.ndjson'), table, ...extra])
    expect(r.code).toBe(1)
    expect(r.stderr).toContain('found string "bad"')
    expect(r.stderr).toMatch(/\bline 4\b/)
    expect(r.stderr).not.toMatch(/\brow \d/)
  })
})
