// Whether lake may write to a table, derived from the registry: the writer features it implements
// per intent, the guards checked whatever the protocol says, classic checkpoints, and the
// fail-closed refusal of writer features lake does not know. Pure.

import type { Protocol } from '../actions/types.js'
import { ProtocolError } from '../errors.js'
import { checkReadable, featureInfo, KNOWN_WRITER_FEATURES, supportedFeatures } from './derive.js'
import { FEATURES } from './registry.js'
import type { CanWriteOptions, WriteCheck, WriteIntent, WriteTarget } from './types.js'

/**
 * Decides whether lake may commit `intent` to `target`:
 * - the table must be readable (`checkReadable`);
 * - every supported writer feature must be one lake writes: its registry record's `write` is true,
 *   or its rule finds no problem (e.g. invariants and
 *   checkConstraints only when every expression can be evaluated, changeDataFeed not when rows are
 *   rewritten, legacy-implied generatedColumns/identityColumns only while no column uses them).
 *   Features with `write: false` and names lake does not know are refused;
 * - every registry guard, whatever the protocol says: a column with a generation expression or
 *   identity metadata (lake would write nulls or unchecked values into it), then
 *   `delta.appendOnly=true` refusing any intent that removes data.
 */
export function canWrite(target: WriteTarget, intent: WriteIntent, options: CanWriteOptions = {}): WriteCheck {
  checkReadable(target.protocol)
  const legacyImplied = target.protocol.minWriterVersion < 7
  for (const feature of supportedFeatures(target.protocol)) {
    const problem = writeProblem(feature, target, intent, options, legacyImplied)
    if (problem !== undefined) return { status: 'unsupported', feature, message: problem }
  }
  for (const scope of ['column', 'table'] as const) {
    for (const info of FEATURES) {
      const problem = info.guard?.scope === scope ? info.guard.check(target, intent) : undefined
      if (problem !== undefined) return { status: 'unsupported', feature: info.name, message: problem }
    }
  }
  return { status: 'ok' }
}

function writeProblem(feature: string, target: WriteTarget, intent: WriteIntent, options: CanWriteOptions, legacyImplied: boolean): string | undefined {
  const write = featureInfo(feature)?.write ?? false
  if (write === false) return `writer feature '${feature}' is not implemented by lake`
  return write === true ? undefined : write(target, intent, options, legacyImplied)
}

/**
 * `canWrite`, throwing when the write is refused.
 * @throws ProtocolError `UnsupportedFeature` with `context.feature` and a message saying why.
 */
export function assertCanWrite(target: WriteTarget, intent: WriteIntent, options: CanWriteOptions = {}): void {
  const check = canWrite(target, intent, options)
  if (check.status === 'unsupported') {
    throw new ProtocolError('UnsupportedFeature', `cannot write to this table: ${check.message}`, { context: { feature: check.feature } })
  }
}

/** True when lake may write a classic (V1) checkpoint for this protocol: no supported feature forbids it (v2Checkpoint). */
export function canWriteCheckpoint(protocol: Protocol): boolean {
  return [...supportedFeatures(protocol)].every((f) => featureInfo(f)?.checkpoints !== false)
}

/** The writer features of `protocol` lake does not know (a newer writer's), in protocol order. */
export function unknownWriterFeatures(protocol: Protocol): string[] {
  return [...supportedFeatures(protocol)].filter((f) => !KNOWN_WRITER_FEATURES.has(f))
}

/**
 * Refuses any write (`operation` names it in the message: 'write a checkpoint', 'vacuum', ...) to a
 * table lake cannot read or whose protocol lists a writer feature lake does not know: such a
 * feature may give actions fields or rules lake would drop or break. Call it before the first byte
 * is written. Data writes also need `assertCanWrite`, which checks the known features too.
 * @throws ProtocolError `InvalidProtocol` / `UnsupportedFeature` (`context.feature`, `context.operation`).
 */
export function assertWritable(target: { readonly protocol: Protocol }, operation: string): void {
  checkReadable(target.protocol)
  const unknown = unknownWriterFeatures(target.protocol)
  const feature = unknown[0]
  if (feature === undefined) return
  throw new ProtocolError(
    'UnsupportedFeature',
    `cannot ${operation}: the table requires writer feature${unknown.length > 1 ? 's' : ''} ${unknown.map((f) => `'${f}'`).join(', ')}, which lake does not implement (expected only known writer features)`,
    { context: { feature, operation } },
  )
}
