// The S3 error mapping over error shapes as the SDK and the network deliver them: only a status, only
// a name, a Node errno, no message, not an Error at all. Asserts the code, retryable flag, the whole
// message (what callers show) and the context fields callers read.

import { S3ServiceException } from '@aws-sdk/client-s3'
import { describe, expect, it } from 'vitest'
import { toStorageError } from '../src/to-storage-error.js'

const where = { bucket: 'tables', endpoint: 'http://rgw:8000' }

/** An SDK service error as the client throws it: a name, an HTTP status, maybe a message. */
function s3(name: string, status: number | undefined, message?: string): S3ServiceException {
  return new S3ServiceException({ name, $fault: 'client', $metadata: status === undefined ? {} : { httpStatusCode: status }, ...(message === undefined ? {} : { message }) })
}
const net = (code: string, name = 'Error'): Error => Object.assign(new Error(`socket ${code}`), { code, name })

describe('toStorageError over recorded shapes', () => {
  it.each<[string, unknown, string, boolean]>([
    ['a bare 404 (HEAD, no name the SDK knows)', s3('UnknownError', 404), 'NotFound', false],
    ['NoSuchKey without a status', s3('NoSuchKey', undefined), 'NotFound', false],
    ['NotFound without a status', s3('NotFound', undefined), 'NotFound', false],
    ['a bare 412', s3('UnknownError', 412), 'AlreadyExists', false],
    ['PreconditionFailed without a status', s3('PreconditionFailed', undefined), 'AlreadyExists', false],
    ['a bare 403', s3('UnknownError', 403), 'PermissionDenied', false],
    ['Forbidden without a status', s3('Forbidden', undefined), 'PermissionDenied', false],
    ['AccessDenied without a status', s3('AccessDenied', undefined), 'PermissionDenied', false],
    ['InvalidAccessKeyId without a status', s3('InvalidAccessKeyId', undefined), 'PermissionDenied', false],
    ['SignatureDoesNotMatch without a status', s3('SignatureDoesNotMatch', undefined), 'PermissionDenied', false],
    ['EAI_AGAIN', net('EAI_AGAIN'), 'Unavailable', true],
    ['EHOSTUNREACH', net('EHOSTUNREACH'), 'Unavailable', true],
    ['ENETUNREACH', net('ENETUNREACH'), 'Unavailable', true],
    ['TimeoutError', net('ETIMEDOUT', 'TimeoutError'), 'Timeout', true],
    ['RequestTimeoutException', s3('RequestTimeoutException', undefined), 'Timeout', true],
    ['NotImplemented without a status', s3('NotImplemented', undefined), 'Unsupported', false],
    ['a bare 501', s3('UnknownError', 501), 'Unsupported', false],
    ['a bare 500', s3('UnknownError', 500), 'Unavailable', true],
    ['a bare 599', s3('UnknownError', 599), 'Unavailable', true],
    ['a bare 429', s3('UnknownError', 429), 'Unavailable', true],
    ...['SlowDown', 'Throttling', 'ThrottlingException', 'RequestThrottled', 'TooManyRequests', 'RequestLimitExceeded', 'InternalError', 'ServiceUnavailable', 'OperationAborted', 'ConditionalRequestConflict'].map(
      (name): [string, unknown, string, boolean] => [`${name} without a status`, s3(name, undefined), 'Unavailable', true],
    ),
    ['ECONNRESET', net('ECONNRESET'), 'Unavailable', true],
    ['ECONNABORTED', net('ECONNABORTED'), 'Unavailable', true],
    ['ETIMEDOUT', net('ETIMEDOUT'), 'Unavailable', true],
    ['a premature close', net('ERR_STREAM_PREMATURE_CLOSE'), 'Unavailable', true],
    ['a bare 400', s3('UnknownError', 400), 'InvalidArgument', false],
    ['a bare 409 (a conflicting concurrent request: retry)', s3('UnknownError', 409), 'Unavailable', true],
    ['a bare 499', s3('UnknownError', 499), 'Unknown', false],
    ['an unknown errno', net('EWHATEVER'), 'Unknown', false],
    ['an errno that is not a string', Object.assign(new Error('x'), { code: 42 }), 'Unknown', false],
    ['null', null, 'Unknown', false],
  ])('maps %s to %s', (_label, err, code, retryable) => {
    expect(toStorageError(err, 'get', 'k', where)).toMatchObject({ code, retryable })
  })

  it.each<[string, unknown, string]>([
    ['an abort', Object.assign(new Error('aborted'), { name: 'AbortError' }), "get 'k' failed: the request was aborted [AbortError: aborted]"],
    ['a missing bucket', s3('NoSuchBucket', 404, 'The specified bucket does not exist'), "get 'k' failed: bucket 'tables' does not exist at http://rgw:8000 [NoSuchBucket (HTTP 404): The specified bucket does not exist]"],
    ['a missing key without a message', s3('NoSuchKey', 404, ''), "get 'k' failed: expected an object at the key, found none [NoSuchKey (HTTP 404)]"],
    ['a 404 whose message is UnknownError', s3('NotFound', 404, 'UnknownError'), "get 'k' failed: expected an object at the key, found none [NotFound (HTTP 404)]"],
    ['a taken key', s3('PreconditionFailed', 412, 'At least one of the pre-conditions you specified did not hold'), "get 'k' failed: expected no object at the key, found one already [PreconditionFailed (HTTP 412): At least one of the pre-conditions you specified did not hold]"],
    ['bad credentials', s3('SignatureDoesNotMatch', 403, ''), "get 'k' failed: access denied to bucket 'tables' at http://rgw:8000: check AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY [SignatureDoesNotMatch (HTTP 403)]"],
    ['a refused connection', net('ECONNREFUSED'), "get 'k' failed: cannot reach S3 endpoint http://rgw:8000 (ECONNREFUSED): is the S3 endpoint right? (AWS_ENDPOINT_URL) [Error: socket ECONNREFUSED]"],
    ['a timeout', net('ETIMEDOUT', 'TimeoutError'), "get 'k' failed: no answer from http://rgw:8000 in time [TimeoutError: socket ETIMEDOUT]"],
    ['an unimplemented request', s3('NotImplemented', 501, ''), "get 'k' failed: the S3 server at http://rgw:8000 does not implement this request [NotImplemented (HTTP 501)]"],
    ['a busy server', s3('SlowDown', 503, 'Please reduce your request rate.'), "get 'k' failed: the S3 server at http://rgw:8000 is busy or failing [SlowDown (HTTP 503): Please reduce your request rate.]"],
    ['a dropped connection', net('ECONNRESET'), "get 'k' failed: the connection to http://rgw:8000 was dropped (ECONNRESET) [Error: socket ECONNRESET]"],
    ['a rejected request', s3('InvalidArgument', 400, 'bad'), "get 'k' failed: the S3 server rejected the request [InvalidArgument (HTTP 400): bad]"],
    ['a bare 409', s3('UnknownError', 409), "get 'k' failed: a concurrent request on the key conflicted with this one (HTTP 409); expected to retry it [UnknownError (HTTP 409)]"],
    ['no credentials', Object.assign(new Error('Could not load credentials'), { name: 'CredentialsProviderError' }), "get 'k' failed: no AWS credentials found: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or AWS_PROFILE) [CredentialsProviderError: Could not load credentials]"],
    ['something else', 'boom', "get 'k' failed: unexpected error from S3 [Error: boom]"],
    ['an error without a message', { name: 'Weird' }, "get 'k' failed: unexpected error from S3 [Weird]"],
  ])('says what happened for %s', (_label, err, message) => {
    expect(toStorageError(err, 'get', 'k', where).message).toBe(message)
  })

  it('falls back to the default endpoint and an unknown bucket when none is given', () => {
    expect(toStorageError(s3('NoSuchBucket', 404, ''), 'put', 'k').message).toBe("put 'k' failed: bucket '?' does not exist at the default AWS endpoint [NoSuchBucket (HTTP 404)]")
    expect(toStorageError(s3('AccessDenied', 403, ''), 'put', 'k').message).toContain("access denied to bucket '?' at the default AWS endpoint")
  })

  it('records the request and the server answer in the context', () => {
    expect(toStorageError(s3('SlowDown', 503, ''), 'putIfAbsent', '_delta_log/1.json', where).context).toEqual({
      method: 'putIfAbsent', path: '_delta_log/1.json', bucket: 'tables', endpoint: 'http://rgw:8000', status: 503, s3Code: 'SlowDown',
    })
    expect(toStorageError({ name: 7, $metadata: { httpStatusCode: '500' } }, 'get', 'k').context).toMatchObject({ status: undefined, s3Code: 'Error' })
    expect(toStorageError({ name: 'X', $metadata: null }, 'get', 'k').context).toMatchObject({ status: undefined, s3Code: 'X' })
  })
})
