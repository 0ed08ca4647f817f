// CLI messages outside ingest: a malformed table URI is a usage error (exit 2) with a hint; an S3
// command without credentials says so with a hint; the AWS SDK's Node-version warning never shows;
// a damaged data file is an error naming it.

import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parquetMetadata } from 'hyparquet'
import { parquetHeader } from 'hyparquet/src/column.js'
import { afterAll, describe, expect, it } from 'vitest'
import { lake, tempDir } from './cli-harness.js'

const URI_HINT = 'hint: a table URI is a directory path, file:///absolute/path or s3://bucket/prefix'

describe('malformed table URIs are usage errors', () => {
  it.each([
    [['describe', ''], "error: invalid store URI '': expected a path or a URL"],
    [['read', 's3://'], "error: invalid S3 URL 's3://': expected s3://bucket or s3://bucket/prefix"],
    [['history', 's3:///no-bucket'], "error: invalid S3 URL 's3:///no-bucket': expected s3://bucket or s3://bucket/prefix"],
  ])('lake %j exits 2 with the URI named and a hint', async (args, message) => {
    const result = await lake(args)
    expect(result.code).toBe(2)
    expect(result.stderr.trim().split('\n')).toEqual([message, URI_HINT])
  })
})

describe('S3 without credentials', () => {
  const home = tempDir('no-aws')
  afterAll(() => home.cleanup())

  it('says no credentials were found, with a hint, and prints no AWS SDK Node-version warning', async () => {
    mkdirSync(join(home.dir, '.aws'))
    const env = {
      HOME: home.dir,
      AWS_ACCESS_KEY_ID: undefined,
      AWS_SECRET_ACCESS_KEY: undefined,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: join(home.dir, '.aws', 'config'),
      AWS_SHARED_CREDENTIALS_FILE: join(home.dir, '.aws', 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
      AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
      AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
      // the test runner sets the opt-out for its own processes; the binary must set it itself
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: undefined,
    }
    const result = await lake(['describe', 's3://lake-test/no-credentials', '--endpoint', 'http://127.0.0.1:9', '--region', 'us-east-1'], { env })
    expect(result.code).toBe(1)
    const lines = result.stderr.trim().split('\n')
    expect(lines[0]).toMatch(/^error: .*no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY/)
    expect(lines[1]).toMatch(/^hint: check credentials/)
    expect(lines).toHaveLength(2)
    expect(result.stderr).not.toMatch(/NodeVersionSupportWarning|AWS SDK for JavaScript/)
  })
})

describe('a damaged data file', () => {
  const table = tempDir('corrupt')
  afterAll(() => table.cleanup())

  it('is a CorruptData error naming the file (lake read exits 1), never wrong values', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => JSON.stringify({ id: i, name: `n${i}` })).join('\n') + '\n'
    const created = await lake(['ingest', '-', table.dir], { input: rows })
    expect(created.code, created.stderr).toBe(0)
    const name = readdirSync(table.dir).find((f) => f.endsWith('.parquet')) as string
    const path = join(table.dir, name)
    const bytes = readFileSync(path)
    const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    const meta = parquetMetadata(buffer).row_groups[0]?.columns[0]?.meta_data
    const reader = { view: new DataView(buffer), offset: Number(meta?.dictionary_page_offset ?? meta?.data_page_offset) }
    const header = parquetHeader(reader)
    const at = reader.offset + (header.compressed_page_size >> 1)
    bytes[at] = (bytes[at] ?? 0) ^ 0x10 // one bit in the first page of the first column
    writeFileSync(path, bytes)
    const result = await lake(['read', table.dir])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr.split('\n')[0]).toMatch(new RegExp(`^error: ${name.replace(/\./g, '\\.')}: corrupt Parquet .* page of column '.+' at byte \\d+: expected CRC-32 [0-9a-f]{8}, found [0-9a-f]{8}$`))
  })
})
