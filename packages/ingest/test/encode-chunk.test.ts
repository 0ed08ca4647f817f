// filesOf: an encoder failure (data across the worker boundary) comes back as a proper LakeError subclass.
import { describe, expect, it } from 'vitest'
import { SchemaError } from '@lake/core'
import { ParquetError } from '@lake/parquet'
import { LakeError } from '@lake/storage'
import type { LakeErrorCode } from '@lake/storage'
import { encodeChunk, filesOf, IngestError } from '../src/index.js'

const failed = (code: LakeErrorCode) => ({ status: 'failed' as const, code, message: `boom (${code})`, context: { row: 3 } })

describe('filesOf', () => {
  it.each([
    ['SchemaMismatch', SchemaError],
    ['InvalidArgument', SchemaError],
    ['ParquetError', ParquetError],
    ['ConstraintViolation', IngestError],
    ['UnsupportedFeature', IngestError],
    ['CorruptLog', IngestError],
  ] as const)('rebuilds a %s failure as a %o with its code, message and context', (code, cls) => {
    let thrown: unknown
    try {
      filesOf(failed(code))
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(cls)
    expect(thrown).toMatchObject({ code, message: `boom (${code})`, context: { row: 3 } })
  })

  it('never throws the bare LakeError base class, even for codes it does not know', () => {
    let thrown: unknown
    try {
      filesOf(failed('PermissionDenied'))
    } catch (err) {
      thrown = err
    }
    expect(thrown).toBeInstanceOf(LakeError)
    expect((thrown as object).constructor).not.toBe(LakeError)
    expect(thrown).toMatchObject({ code: 'Unknown', context: { row: 3, code: 'PermissionDenied' } })
  })

  it('returns the files of a chunk that encoded', () => {
    const schema = { kind: 'struct' as const, fields: [{ name: 'id', type: { kind: 'primitive' as const, name: 'long' as const }, nullable: true, metadata: {} }] }
    expect(filesOf(encodeChunk({ rows: [{ id: 1n }], schema, partitionColumns: [] }))).toHaveLength(1)
  })
})
