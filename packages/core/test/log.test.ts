// Log file names, the `_last_checkpoint` hint, and choosing the checkpoint and commits of a version.

import { describe, expect, it } from 'vitest'
import { buildLogSegment, completeCheckpoints, parseLastCheckpoint, parseLogPath, versionRange } from '../src/internal.js'
import type { LogEntry } from '../src/internal.js'

const pad = (v: number): string => v.toString().padStart(20, '0')

describe('parseLogPath', () => {
  it.each([
    [`${pad(7)}.json`, { kind: 'commit', version: 7 }],
    [`${pad(10)}.checkpoint.parquet`, { kind: 'checkpoint', version: 10, format: 'classic' }],
    [`${pad(1)}.checkpoint.0000000002.0000000003.parquet`, { kind: 'checkpoint', version: 1, format: 'multi-part', part: 2, parts: 3 }],
    [`${pad(2)}.checkpoint.6374b053-df23-479b-b2cf-c9c550132b49.json`, { kind: 'checkpoint', version: 2, format: 'v2', uuid: '6374b053-df23-479b-b2cf-c9c550132b49', ext: 'json' }],
    [`${pad(2)}.checkpoint.e8fa2696-9728-4e9c-b285-634743fdd4fb.parquet`, { kind: 'checkpoint', version: 2, format: 'v2', uuid: 'e8fa2696-9728-4e9c-b285-634743fdd4fb', ext: 'parquet' }],
    [`${pad(6)}.${pad(10)}.compacted.json`, { kind: 'compaction', version: 6, endVersion: 10 }],
    [`${pad(3)}.crc`, { kind: 'crc', version: 3 }],
    ['_last_checkpoint', { kind: 'lastCheckpoint' }],
  ])('classifies %s', (name, expected) => {
    expect(parseLogPath(name)).toEqual(expected)
  })

  it.each([
    `.${pad(1)}.json.8f1c.tmp`,
    `${pad(1)}.json.tmp`,
    '123.json',
    `${pad(1)}.checkpoint.0000000004.0000000003.parquet`,
    `${pad(10)}.${pad(6)}.compacted.json`,
    'README',
    `${pad(1)}.checkpoint.not-a-uuid.json`,
  ])('ignores %s', (name) => {
    expect(parseLogPath(name)).toBeUndefined()
  })
})

describe('parseLastCheckpoint', () => {
  const bytes = (text: string): Uint8Array => new TextEncoder().encode(text)

  it('reads version, size and parts', () => {
    expect(parseLastCheckpoint(bytes('{"version":10,"size":13,"parts":2,"checksum":"x"}'))).toEqual({ version: 10, size: 13, parts: 2 })
  })

  it.each(['', 'garbage', '{"size":3}', '{"version":"10"}', '{"version":-1}', 'null', '[1]'])('tolerates a corrupt hint %j', (text) => {
    expect(parseLastCheckpoint(bytes(text))).toBeUndefined()
  })
})

/** A listing from file names: `commits` are versions with a json, `files` any other log names. */
function listing(commits: readonly number[], files: readonly string[] = []): LogEntry[] {
  const names = [...commits.map((v) => `${pad(v)}.json`), ...files].sort()
  return names.flatMap((name) => {
    const path = parseLogPath(name)
    return path === undefined ? [] : [{ path, meta: { path: `_delta_log/${name}`, size: 1, lastModified: 0 } }]
  })
}

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i)

describe('completeCheckpoints', () => {
  it('counts a multi-part set only with every part present', () => {
    const entries = listing([], [
      `${pad(4)}.checkpoint.0000000001.0000000002.parquet`,
      `${pad(4)}.checkpoint.0000000002.0000000002.parquet`,
      `${pad(8)}.checkpoint.0000000001.0000000003.parquet`,
      `${pad(8)}.checkpoint.0000000003.0000000003.parquet`,
    ])
    const checkpoints = completeCheckpoints(entries)
    expect(checkpoints.map((c) => [c.version, c.format, c.files.length])).toEqual([[4, 'multi-part', 2]])
  })

  it('prefers a classic checkpoint over a V2 one of the same version', () => {
    const entries = listing([], [`${pad(5)}.checkpoint.parquet`, `${pad(5)}.checkpoint.6374b053-df23-479b-b2cf-c9c550132b49.json`])
    expect(completeCheckpoints(entries).map((c) => c.format)).toEqual(['classic'])
  })
})

describe('buildLogSegment', () => {
  it('replays every commit from 0 when there is no checkpoint', () => {
    const segment = buildLogSegment(listing(range(0, 3)), 'mem://t')
    expect(segment.version).toBe(3)
    expect(segment.checkpoint).toBeUndefined()
    expect(segment.commits.map((c) => c.version)).toEqual([0, 1, 2, 3])
  })

  it('starts at the newest checkpoint at or below the version', () => {
    const entries = listing(range(0, 25), [`${pad(10)}.checkpoint.parquet`, `${pad(20)}.checkpoint.parquet`])
    const latest = buildLogSegment(entries, 'mem://t')
    expect([latest.checkpoint?.version, latest.commits.map((c) => c.version)]).toEqual([20, range(21, 25)])
    const at15 = buildLogSegment(entries, 'mem://t', 15)
    expect([at15.checkpoint?.version, at15.commits.map((c) => c.version)]).toEqual([10, range(11, 15)])
    const at20 = buildLogSegment(entries, 'mem://t', 20)
    expect([at20.checkpoint?.version, at20.commits]).toEqual([20, []])
  })

  it('skips an incomplete multi-part checkpoint for an older complete one', () => {
    const entries = listing(range(0, 12), [
      `${pad(5)}.checkpoint.parquet`,
      `${pad(10)}.checkpoint.0000000001.0000000002.parquet`,
    ])
    expect(buildLogSegment(entries, 'mem://t').checkpoint?.version).toBe(5)
  })

  it('opens a cleaned-up table at every reconstructable version', () => {
    const entries = listing(range(8, 14), [`${pad(10)}.checkpoint.parquet`])
    expect(versionRange(entries, 'mem://t')).toEqual({ earliest: 10, latest: 14 })
    expect(buildLogSegment(entries, 'mem://t', 10).commits).toEqual([])
    expect(() => buildLogSegment(entries, 'mem://t', 9)).toThrow(expect.objectContaining({ code: 'VersionNotFound' }))
  })

  it('opens a version that has only a checkpoint and no commit file', () => {
    const entries = listing([], [`${pad(3)}.checkpoint.parquet`])
    expect(buildLogSegment(entries, 'mem://t')).toMatchObject({ version: 3, commits: [] })
  })

  it('names the available range for a version that does not exist', () => {
    const entries = listing(range(0, 4))
    expect(() => buildLogSegment(entries, 'mem://t', 7)).toThrow(expect.objectContaining({ code: 'VersionNotFound', context: { version: 7, earliest: 0, latest: 4 } }))
    expect(() => buildLogSegment(entries, 'mem://t', 7)).toThrow('0..4')
  })

  it('fails with CorruptLog on a gap between commits', () => {
    expect(() => buildLogSegment(listing([0, 2]), 'mem://t')).toThrow(expect.objectContaining({ code: 'CorruptLog', context: { version: 1 } }))
    expect(buildLogSegment(listing([0, 2]), 'mem://t', 0).version).toBe(0)
  })

  it('fails with CorruptLog on a gap after the checkpoint', () => {
    const entries = listing([5, 6, 8], [`${pad(5)}.checkpoint.parquet`])
    expect(() => buildLogSegment(entries, 'mem://t', 8)).toThrow(expect.objectContaining({ code: 'CorruptLog' }))
  })

  it('fails with TableNotFound on an empty log', () => {
    expect(() => buildLogSegment(listing([], ['_last_checkpoint', `${pad(3)}.crc`]), 'mem://t')).toThrow(expect.objectContaining({ code: 'TableNotFound' }))
  })
})
