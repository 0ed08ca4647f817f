// Unit tests of the SDK-error mapping: each S3/Node failure shape lands on one StorageError code.

import { S3ServiceException } from '@aws-sdk/client-s3'
import { StorageError } from '@lake/storage'
import { describe, expect, it } from 'vitest'
import { toStorageError } from '../src/to-storage-error.js'

function s3Error(name: string, status: number): S3ServiceException {
  return new S3ServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status } })
}

function netError(code: string, name = 'Error'): Error {
  return Object.assign(new Error(`connect ${code}`), { code, name })
}

const where = { bucket: 'tables', endpoint: 'http://127.0.0.1:9000' }

describe('toStorageError', () => {
  it.each([
    ['NoSuchKey 404', s3Error('NoSuchKey', 404), 'NotFound', false],
    ['HEAD NotFound 404', s3Error('NotFound', 404), 'NotFound', false],
    ['NoSuchBucket 404', s3Error('NoSuchBucket', 404), 'InvalidConfig', false],
    ['PreconditionFailed 412', s3Error('PreconditionFailed', 412), 'AlreadyExists', false],
    ['ConditionalRequestConflict 409', s3Error('ConditionalRequestConflict', 409), 'Unavailable', true],
    ['AccessDenied 403', s3Error('AccessDenied', 403), 'PermissionDenied', false],
    ['InvalidAccessKeyId 403', s3Error('InvalidAccessKeyId', 403), 'PermissionDenied', false],
    ['SignatureDoesNotMatch 403', s3Error('SignatureDoesNotMatch', 403), 'PermissionDenied', false],
    ['no credentials', Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }), 'PermissionDenied', false],
    ['SlowDown 503', s3Error('SlowDown', 503), 'Unavailable', true],
    ['InternalError 500', s3Error('InternalError', 500), 'Unavailable', true],
    ['throttling 429', s3Error('TooManyRequests', 429), 'Unavailable', true],
    ['NotImplemented 501', s3Error('NotImplemented', 501), 'Unsupported', false],
    ['RequestTimeout 400', s3Error('RequestTimeout', 400), 'Timeout', true],
    ['InvalidArgument 400', s3Error('InvalidArgument', 400), 'InvalidArgument', false],
    ['ECONNREFUSED', netError('ECONNREFUSED'), 'Unavailable', true],
    ['ENOTFOUND', netError('ENOTFOUND'), 'Unavailable', true],
    ['socket timeout', netError('ECONNRESET', 'TimeoutError'), 'Timeout', true],
    ['EPIPE', netError('EPIPE'), 'Unavailable', true],
    ['abort', Object.assign(new Error('Request aborted'), { name: 'AbortError' }), 'Aborted', false],
    ['a string', 'boom', 'Unknown', false],
  ])('maps %s to %s', (_label, err, code, retryable) => {
    const mapped = toStorageError(err, 'get', 'a/b.json', where)
    expect(mapped).toBeInstanceOf(StorageError)
    expect(mapped).toMatchObject({ code, retryable, context: { method: 'get', path: 'a/b.json', bucket: 'tables' } })
    expect(mapped.cause).toBe(err)
  })

  it('tells the user which credentials to check on a 403', () => {
    const mapped = toStorageError(s3Error('InvalidAccessKeyId', 403), 'head', 'k', where)
    expect(mapped.message).toContain('check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY')
  })

  it('names the endpoint when it cannot be reached', () => {
    const mapped = toStorageError(netError('ECONNREFUSED'), 'head', 'k', where)
    expect(mapped.message).toContain('http://127.0.0.1:9000')
    expect(mapped.message).toContain('AWS_ENDPOINT_URL')
  })

  it('names the bucket when it does not exist', () => {
    expect(toStorageError(s3Error('NoSuchBucket', 404), 'get', 'k', where).message).toContain("bucket 'tables'")
  })

  it('passes a StorageError through unchanged', () => {
    const original = new StorageError('AlreadyExists', 'taken')
    expect(toStorageError(original, 'put', 'k')).toBe(original)
  })
})
