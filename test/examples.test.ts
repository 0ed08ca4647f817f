// Runs every program in examples/ the way its README says (node, or bash for the CLI), each in a
// fresh temporary directory that is also its TMPDIR, checks its output and that it cleaned up after
// itself, and checks that each README shows its example file unchanged (so they cannot drift).
import { execFile } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const EXAMPLES = join(ROOT, 'examples')

interface Example {
  /** The file in examples/. */
  readonly file: string
  /** The README that shows it, repo-relative. */
  readonly readme: string
  /** Lines (or patterns) its output (stdout, then stderr) must contain. */
  readonly prints: readonly (string | RegExp)[]
}

const S3_ENDPOINT = process.env['AWS_ENDPOINT_URL']

const EXAMPLE_LIST: readonly Example[] = [
  {
    file: 'readme.mjs',
    readme: 'README.md',
    prints: ["[ { id: 1n, amount: '9.90' } ]", "{ id: 2n, date: '2024-01-02', amount: '1.00', note: 'new column' }", "{ id: 3n, date: '2024-01-01', amount: '5.00', note: null }"],
  },
  {
    file: 'storage.mjs',
    readme: 'packages/storage/README.md',
    prints: ['lost the race: AlreadyExists', '_delta_log/00000000000000000000.json 18', '"}}\\n"'],
  },
  {
    file: 'storage-s3.mjs',
    readme: 'packages/storage-s3/README.md',
    prints: S3_ENDPOINT === undefined ? ['skipped: no S3 credentials'] : ['_delta_log/00000000000000000000.json 18', '{"commitInfo":{}}'],
  },
  {
    file: 'parquet.mjs',
    readme: 'packages/parquet/README.md',
    prints: ['2 {"numRecords":2,', "price: '123456789012345678901234567890.25'", "at: '2024-05-01T12:00:00.123456Z'"],
  },
  {
    file: 'core-read.mjs',
    readme: 'packages/core/README.md',
    prints: ['version 13 protocol { minReaderVersion: 1, minWriterVersion: 2 }', "columns [ 'id: long' ]", '7 files 41 rows 3549 bytes', '13 DELETE'],
  },
  {
    file: 'core-write.mjs',
    readme: 'packages/core/README.md',
    prints: [/^\d+ \[ \{ id: 2n, day: '2024-01-02', total: '3.00' \} \]$/m, 'dryRun: true', 'numRecords: 2,'],
  },
  {
    file: 'core-stream.mjs',
    readme: 'packages/core/README.md',
    prints: ['first run { batches: 1, rows: 2, skippedBatches: 0 }', 'second run { batches: 1, rows: 1, skippedBatches: 0 }', "batch 1 [ { id: 1n, _change_type: 'delete', _commit_version: 3 } ]"],
  },
  {
    file: 'ingest.mjs',
    readme: 'packages/ingest/README.md',
    prints: ['completed 3 rows', 'completed 0 rows'],
  },
  {
    file: 'cli.sh',
    readme: 'packages/cli/README.md',
    prints: [/^version,timestamp,operation,/m, /"id":3,"day":"2024-05-02","note":"late"/, /dry run: 0 files/],
  },
]

interface Run {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
}

/** The environment of a run: TMPDIR is the run's directory, `lake` is on PATH, S3 only when configured. */
function exampleEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, TMPDIR: dir, NO_COLOR: '1', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
  env['PATH'] = `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env['PATH'] ?? ''}`
  if (S3_ENDPOINT !== undefined) return env
  // Without a test endpoint, never reach a real AWS account from a developer's shell.
  for (const name of Object.keys(env)) {
    if (/^AWS_(ACCESS_KEY_ID|SECRET_ACCESS_KEY|SESSION_TOKEN|PROFILE)$/.test(name)) delete env[name]
  }
  return env
}

function runExample(file: string, dir: string): Promise<Run> {
  const [command, args] = file.endsWith('.sh') ? ['bash', [join(EXAMPLES, file)]] : [process.execPath, [join(EXAMPLES, file)]]
  return new Promise((resolve) => {
    execFile(command, args, { cwd: dir, env: exampleEnv(dir), timeout: 90_000 }, (err, stdout, stderr) => {
      const code = err === null ? 0 : typeof err.code === 'number' ? err.code : 1
      resolve({ code, stdout, stderr })
    })
  })
}

/** The fenced code blocks of a README that name an example file on their first line. */
function exampleBlocks(readme: string): Map<string, string> {
  const blocks = new Map<string, string>()
  for (const match of readFileSync(join(ROOT, readme), 'utf8').matchAll(/^```[a-z]*\n([\s\S]*?)^```$/gm)) {
    const body = match[1] as string
    const name = /^(?:#!.*\n)?(?:\/\/|#) examples\/([\w.-]+)/.exec(body)?.[1]
    if (name !== undefined) blocks.set(name, body)
  }
  return blocks
}

describe('examples/', () => {
  let dir: string | undefined
  afterEach(() => {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true })
    dir = undefined
  })

  it('has a test entry for every file, and nothing else', () => {
    expect(readdirSync(EXAMPLES).sort()).toEqual(EXAMPLE_LIST.map((e) => e.file).sort())
  })

  it('has an S3 server to run the S3 example against under CI=true', () => {
    if (process.env['CI'] === 'true') expect(S3_ENDPOINT, 'CI must run examples/storage-s3.mjs against S3').toBeDefined()
  })

  it.each(EXAMPLE_LIST.map((e) => [e.file, e] as const))('%s is shown unchanged in its README', (file, example) => {
    expect(exampleBlocks(example.readme).get(file)).toBe(readFileSync(join(EXAMPLES, file), 'utf8'))
  })

  it('names only existing example files in the READMEs', () => {
    const readmes = [...new Set(EXAMPLE_LIST.map((e) => e.readme))]
    const named = readmes.flatMap((r) => [...exampleBlocks(r).keys()]).sort()
    expect(named).toEqual(EXAMPLE_LIST.map((e) => e.file).sort())
  })

  it.each(EXAMPLE_LIST.map((e) => [e.file, e] as const))('%s runs, prints what it shows and leaves nothing behind', async (file, example) => {
    dir = mkdtempSync(join(tmpdir(), 'lake-examples-'))
    const result = await runExample(file, dir)
    expect(result.code, result.stderr).toBe(0)
    const output = result.stdout + result.stderr
    for (const expected of example.prints) {
      if (typeof expected === 'string') expect(output).toContain(expected)
      else expect(output).toMatch(expected)
    }
    expect(readdirSync(dir)).toEqual([])
  })
})
