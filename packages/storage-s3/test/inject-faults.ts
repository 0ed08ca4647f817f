// Failures injected into a real S3 client's requests (an SDK middleware), for the tests of what the S3
// store does when a response is lost, a request is refused or a caller aborts. The server is real.

import { S3ServiceException } from '@aws-sdk/client-s3'
import type { S3Client } from '@aws-sdk/client-s3'

export interface FaultPlan {
  /**
   * The first conditional PUT: its connection dropped before or after it reached the server, or
   * refused with a non-retryable 400.
   */
  readonly put?: 'before-send' | 'after-send' | 'rejected'
  /** Runs when the first conditional PUT fails (before-send: in place of it, like another writer taking the key). */
  readonly onPutFault?: () => Promise<unknown> | void
  /** Answer the second conditional PUT with 412 without sending it. */
  readonly secondPutTaken?: boolean
  /** Drop the connection of these GetObject requests (1-based). */
  readonly dropGets?: readonly number[]
  /** Answer the first GetObject with 403 AccessDenied. */
  readonly denyFirstGet?: boolean
  /** Runs after the first GetObject, whatever its outcome. */
  readonly afterFirstGet?: () => void
  /** Reject this UploadPart number with a non-retryable 400. */
  readonly failPart?: number
}

/** What the injected middleware saw: conditional PUTs and GetObjects sent or answered in their place. */
export interface FaultCounts {
  puts: number
  gets: number
}

const dropped = (): Error => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET', name: 'TimeoutError' })
const answer = (name: string, status: number): S3ServiceException => new S3ServiceException({ name, $fault: 'client', $metadata: { httpStatusCode: status } })

/** Adds a middleware to `client` that injects the planned failures; counts conditional PUTs and GETs. */
export function injectFaults(client: S3Client, plan: FaultPlan): FaultCounts {
  const counts: FaultCounts = { puts: 0, gets: 0 }
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input as Record<string, unknown>
      if (context.commandName === 'PutObjectCommand' && input['IfNoneMatch'] === '*') return conditionalPut(plan, ++counts.puts, () => next(args))
      if (context.commandName === 'GetObjectCommand') return getObject(plan, ++counts.gets, () => next(args))
      if (context.commandName === 'UploadPartCommand' && input['PartNumber'] === plan.failPart) throw answer('InvalidArgument', 400)
      return next(args)
    },
    { step: 'initialize', name: 'lakeTestFaults' },
  )
  return counts
}

async function conditionalPut<T>(plan: FaultPlan, n: number, send: () => Promise<T>): Promise<T> {
  if (n === 2 && plan.secondPutTaken === true) throw answer('PreconditionFailed', 412)
  if (n !== 1 || plan.put === undefined) return send()
  if (plan.put === 'rejected') throw answer('InvalidArgument', 400)
  if (plan.put === 'before-send') {
    await plan.onPutFault?.()
    throw dropped()
  }
  await send()
  await plan.onPutFault?.()
  throw dropped()
}

async function getObject<T>(plan: FaultPlan, n: number, send: () => Promise<T>): Promise<T> {
  try {
    if (plan.dropGets?.includes(n) === true) throw dropped()
    if (n === 1 && plan.denyFirstGet === true) throw answer('AccessDenied', 403)
    return await send()
  } finally {
    if (n === 1) plan.afterFirstGet?.()
  }
}
