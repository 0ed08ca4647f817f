// The fail-closed check every writer runs before it writes anything (data files, commits,
// checkpoints, deletes): lake can read the table and knows every writer feature it lists. Pure.

import type { Protocol } from '../actions/types.js'
import { ProtocolError } from '../errors.js'
import { checkReadable } from '../protocol/check-protocol.js'
import { KNOWN_WRITER_FEATURES, supportedFeatures } from '../protocol/features.js'

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
