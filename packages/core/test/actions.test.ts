// Parsing and serializing Delta actions: every action type, unknown fields and types, errors
// naming version and line, path decoding.

import { describe, expect, it } from 'vitest'
import {
  decodeFilePath,
  encodeFilePath,
  isAbsolutePath,
  parseAction,
  parseCommit,
  serializeAction,
  serializeCommit,
} from '../src/internal.js'
import type { Action } from '../src/internal.js'

describe('parseAction', () => {
  it.each([
    ['protocol', '{"protocol":{"minReaderVersion":3,"minWriterVersion":7,"readerFeatures":["deletionVectors"],"writerFeatures":["deletionVectors"]}}'],
    ['metaData', '{"metaData":{"id":"x","format":{"provider":"parquet","options":{}},"schemaString":"{}","partitionColumns":[],"configuration":{"a":"b"},"createdTime":1}}'],
    ['add', '{"add":{"path":"p","partitionValues":{"d":null},"size":1,"modificationTime":2,"dataChange":true,"stats":"{}"}}'],
    ['remove', '{"remove":{"path":"p","deletionTimestamp":3,"dataChange":false}}'],
    ['txn', '{"txn":{"appId":"app","version":7,"lastUpdated":9}}'],
    ['commitInfo', '{"commitInfo":{"timestamp":1,"operation":"WRITE","operationParameters":{"mode":"Append"}}}'],
    ['domainMetadata', '{"domainMetadata":{"domain":"delta.rowTracking","configuration":"{}","removed":false}}'],
    ['cdc', '{"cdc":{"path":"_change_data/c.parquet","partitionValues":{},"size":5,"dataChange":false}}'],
    ['sidecar', '{"sidecar":{"path":"s.parquet","sizeInBytes":10,"modificationTime":11}}'],
    ['checkpointMetadata', '{"checkpointMetadata":{"version":4}}'],
  ])('parses a %s action', (kind, line) => {
    const action = parseAction(line)
    expect(action?.kind).toBe(kind)
    expect(JSON.parse(serializeAction(action as Action))).toEqual(JSON.parse(line))
  })

  it('keeps unknown fields on the parsed object', () => {
    const action = parseAction('{"add":{"path":"p","partitionValues":{},"size":1,"modificationTime":2,"dataChange":true,"futureField":{"x":1}}}')
    expect(action).toMatchObject({ kind: 'add', add: { futureField: { x: 1 } } })
  })

  it('ignores unknown action types and blank lines', () => {
    expect(parseAction('{"futureAction":{"a":1}}')).toBeUndefined()
    expect(parseAction('   ')).toBeUndefined()
  })

  it('parses deletion vector descriptors', () => {
    const action = parseAction(
      '{"add":{"path":"p","partitionValues":{},"size":1,"modificationTime":2,"dataChange":true,"deletionVector":{"storageType":"u","pathOrInlineDv":"ab","offset":1,"sizeInBytes":34,"cardinality":2}}}',
    )
    expect(action).toMatchObject({ add: { deletionVector: { storageType: 'u', offset: 1, cardinality: 2 } } })
  })

  it.each([
    ['a missing required field', '{"add":{"partitionValues":{},"size":1,"modificationTime":2,"dataChange":true}}', "'add.path'"],
    ['a wrong type', '{"txn":{"appId":"a","version":"7"}}', "'txn.version'"],
    ['a bad storage type', '{"remove":{"path":"p","dataChange":true,"deletionVector":{"storageType":"x","pathOrInlineDv":"a","sizeInBytes":1,"cardinality":1}}}', 'storageType'],
    ['invalid JSON', '{"add":', 'invalid JSON'],
    ['a non-object action body', '{"protocol":5}', "'protocol.protocol'"],
  ])('rejects %s with CorruptLog naming version and line', (_, line, fragment) => {
    expect(() => parseAction(line, { version: 4, line: 2 })).toThrow(expect.objectContaining({ code: 'CorruptLog' }))
    expect(() => parseAction(line, { version: 4, line: 2 })).toThrow(/version 4 line 2/)
    expect(() => parseAction(line, { version: 4, line: 2 })).toThrow(fragment)
  })

  it('drops conventional commitInfo fields of an unexpected type but keeps the rest', () => {
    const action = parseAction('{"commitInfo":{"timestamp":"soon","operation":"WRITE","custom":1}}')
    expect(action).toEqual({ kind: 'commitInfo', commitInfo: { operation: 'WRITE', custom: 1 } })
  })
})

describe('parseCommit', () => {
  it('parses every line in order and skips unknown actions', () => {
    const text = ['{"commitInfo":{"timestamp":1}}', '{"unknown":{}}', '{"txn":{"appId":"a","version":1}}', ''].join('\n')
    expect(parseCommit(new TextEncoder().encode(text), 3).map((a) => a.kind)).toEqual(['commitInfo', 'txn'])
  })

  it('names the line of a malformed action', () => {
    expect(() => parseCommit('{"commitInfo":{}}\n{"txn":{}}', 9)).toThrow(/version 9 line 2/)
  })
})

describe('serializeCommit', () => {
  it('writes one newline-terminated JSON line per action that parses back to the same actions', () => {
    const actions: Action[] = [
      { kind: 'commitInfo', commitInfo: { timestamp: 5, operation: 'WRITE' } },
      { kind: 'add', add: { path: 'a b.parquet', partitionValues: { p: null }, size: 3, modificationTime: 4, dataChange: true } },
    ]
    const bytes = serializeCommit(actions)
    const text = new TextDecoder().decode(bytes)
    expect(text.endsWith('\n')).toBe(true)
    expect(text.split('\n')).toHaveLength(3)
    expect(parseCommit(bytes, 0)).toEqual(actions)
  })
})

describe('decodeFilePath', () => {
  it.each([
    ['part-0.parquet', 'part-0.parquet'],
    ['a%20b/c.parquet', 'a b/c.parquet'],
    ['ts=2024-01-01%2010%253A00%253A00/f.parquet', 'ts=2024-01-01 10%3A00%3A00/f.parquet'],
    ['_2=bar+%252521/f.parquet', '_2=bar+%2521/f.parquet'],
  ])('decodes %s once', (path, key) => {
    expect(decodeFilePath(path)).toBe(key)
    expect(decodeFilePath(encodeFilePath(key))).toBe(key)
  })

  it('rejects malformed escapes with CorruptLog', () => {
    expect(() => decodeFilePath('bad%zz')).toThrow(expect.objectContaining({ code: 'CorruptLog' }))
  })

  it('keeps partition directories readable when encoding', () => {
    expect(encodeFilePath('date=2024-01-01/a b:c.parquet')).toBe('date=2024-01-01/a%20b%3Ac.parquet')
  })

  it.each([
    ['s3://bucket/key.parquet', true],
    ['file:/tmp/x.parquet', true],
    ['part=1/x.parquet', false],
  ])('tells absolute URI %s: %s', (path, absolute) => {
    expect(isAbsolutePath(path)).toBe(absolute)
  })
})
