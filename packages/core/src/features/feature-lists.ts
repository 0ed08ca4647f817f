// Which lists a known feature may appear in (PROTOCOL.md#Table Features; delta-kernel-rs
// Protocol::try_new): a reader-writer feature is in both `readerFeatures` and `writerFeatures`, a
// writer-only one never in `readerFeatures`. Unknown names are given the benefit of the doubt, as
// kernel does (an unknown reader feature still blocks reads: `checkReadable`). Pure.

import type { Protocol } from '../actions/types.js'
import { invalidProtocol } from '../protocol/check-protocol.js'
import type { ProtocolField } from '../protocol/check-protocol.js'
import { FEATURES } from './registry.js'

const KIND: ReadonlyMap<string, 'writer' | 'readerWriter'> = new Map(FEATURES.map((f) => [f.name, f.kind]))

/**
 * Reader-writer features a writer may have listed in `writerFeatures` only: Spark once wrote (3,7)
 * column-mapped tables so, and reader version 2 implies column mapping. Kernel accepts them too.
 */
const WRITER_LIST_ONLY_OK = 'columnMapping'

/**
 * Checks the feature lists of a legal protocol (`validateProtocol` passed) against the registry:
 * no writer-only feature in `readerFeatures`; every reader-writer feature of `writerFeatures` also
 * in `readerFeatures` at reader version 3, and none below it (column mapping excepted at reader
 * version 2 and, as Spark wrote it, at 3).
 * @throws ProtocolError `InvalidProtocol` with `context.field` and `context.feature`.
 */
export function validateFeatureLists(protocol: Protocol, version?: number): void {
  const r = protocol.minReaderVersion
  const fail = (field: ProtocolField, feature: string, what: string): never => {
    throw invalidProtocol(protocol, version, field, what, feature)
  }
  const readers = new Set(protocol.readerFeatures ?? [])
  for (const f of readers) {
    if (KIND.get(f) === 'writer') fail('readerFeatures', f, `expected only reader-writer features in readerFeatures, found writer-only feature '${f}'`)
  }
  for (const f of protocol.writerFeatures ?? []) {
    if (KIND.get(f) !== 'readerWriter' || readers.has(f) || f === WRITER_LIST_ONLY_OK) continue
    if (r === 3) fail('readerFeatures', f, `expected reader-writer feature '${f}' of writerFeatures also in readerFeatures, found it missing`)
    fail('minReaderVersion', f, `reader-writer feature '${f}' in writerFeatures needs minReaderVersion 3 with '${f}' in readerFeatures, found minReaderVersion ${r}`)
  }
  if (r < 2 && protocol.writerFeatures?.includes(WRITER_LIST_ONLY_OK) === true) {
    fail('minReaderVersion', WRITER_LIST_ONLY_OK, `reader-writer feature '${WRITER_LIST_ONLY_OK}' in writerFeatures needs minReaderVersion 2 or 3, found minReaderVersion ${r}`)
  }
}
