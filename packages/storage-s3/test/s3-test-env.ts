// Gate and settings of the S3 integration tests: run against AWS_ENDPOINT_URL (or LAKE_S3_ENDPOINT);
// skip visibly without one, except under CI=true, where a missing endpoint fails the run loudly.

import { CreateBucketCommand, HeadBucketCommand } from '@aws-sdk/client-s3'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'vitest'
import { createS3Store, type S3Credentials } from '../src/create-s3-store.js'
import type { S3Store } from '../src/s3-store.js'

/** Where the integration tests run. */
export interface S3TestEnv {
  readonly endpoint: string
  readonly region: string
  readonly credentials?: S3Credentials
  /** One bucket for all tests (`LAKE_S3_TEST_BUCKET`, default `lake-test`); each store gets its own prefix. */
  readonly bucket: string
}

const HOW_TO =
  'set AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (npm test starts a local Ceph RGW ' +
  'when radosgw is installed; see packages/storage-s3/README.md)'

/** The S3 test settings from `env`, or undefined when no endpoint is configured. */
export function s3TestEnv(env: NodeJS.ProcessEnv = process.env): S3TestEnv | undefined {
  const endpoint = env.AWS_ENDPOINT_URL || env.LAKE_S3_ENDPOINT
  if (!endpoint) return undefined
  const accessKeyId = env.AWS_ACCESS_KEY_ID
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY
  return {
    endpoint,
    region: env.AWS_REGION || 'us-east-1',
    bucket: env.LAKE_S3_TEST_BUCKET || 'lake-test',
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
  }
}

/**
 * `describe(name, body)` when an S3 endpoint is configured. Without one: a failing test under
 * `CI=true` (CI must never silently skip S3), else a visibly skipped block and a warning.
 */
export function describeWithS3(name: string, body: (env: S3TestEnv) => void): void {
  const env = s3TestEnv()
  if (env !== undefined) {
    describe(name, () => body(env))
  } else if (process.env.CI === 'true') {
    describe(name, () => {
      it('has an S3 endpoint to test against (CI=true)', () => {
        throw new Error(`CI=true but no S3 endpoint is configured: ${HOW_TO}`)
      })
    })
  } else {
    console.warn(`[storage-s3] skipping '${name}': no S3 endpoint; ${HOW_TO}`)
    describe.skip(`${name} (skipped: no S3 endpoint; ${HOW_TO})`, () => {
      it('runs against a real S3 server', () => {})
    })
  }
}

/** A store for `env` rooted at `prefix`, built the way users build one (plus test overrides). */
export function makeTestStore(env: S3TestEnv, prefix: string, overrides: Partial<Parameters<typeof createS3Store>[0]> = {}): S3Store {
  return createS3Store({
    bucket: env.bucket,
    prefix,
    endpoint: env.endpoint,
    region: env.region,
    ...(env.credentials === undefined ? {} : { credentials: env.credentials }),
    ...overrides,
  })
}

/** Creates the test bucket unless it exists. */
export async function ensureBucket(env: S3TestEnv): Promise<void> {
  const client = makeTestStore(env, '').client
  try {
    await client.send(new HeadBucketCommand({ Bucket: env.bucket }))
  } catch (err) {
    if (!isStatus(err, 404)) throw err
    try {
      await client.send(new CreateBucketCommand({ Bucket: env.bucket }))
    } catch (createErr) {
      // Another test file may have created it in between.
      const taken = createErr instanceof Error && ['BucketAlreadyOwnedByYou', 'BucketAlreadyExists'].includes(createErr.name)
      if (!taken) throw createErr
    }
  } finally {
    client.destroy()
  }
}

/** Deletes every object under `prefix` in the test bucket. */
export async function deletePrefix(env: S3TestEnv, prefix: string): Promise<void> {
  const store = makeTestStore(env, prefix)
  const keys: string[] = []
  for await (const meta of store.list('')) keys.push(meta.path)
  await store.deleteMany(keys)
  store.client.destroy()
}

/** A prefix no other run uses: `lake-test-<time>-<random>`. */
export function uniqueRunPrefix(label: string): string {
  return `${label}-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`
}

function isStatus(err: unknown, status: number): boolean {
  return err instanceof Error && '$metadata' in err && (err.$metadata as { httpStatusCode?: number }).httpStatusCode === status
}
