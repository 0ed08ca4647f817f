// Protocol legality (PROTOCOL.md#Protocol Evolution, #Table Features): versions and feature lists
// that fit together. Which features are reader-writer ones is checked in features/ (feature-lists.ts);
// readability (which features lake implements) is derived there too. Pure.

import type { Protocol } from '../actions/types.js'
import { ProtocolError } from '../errors.js'

/** The highest reader version defined by the protocol (3: table features). */
export const MAX_READER_VERSION = 3
/** The highest writer version defined by the protocol (7: table features). */
export const MAX_WRITER_VERSION = 7

/** The field of a protocol action an `InvalidProtocol` error names (`context.field`). */
export type ProtocolField = 'minReaderVersion' | 'minWriterVersion' | 'readerFeatures' | 'writerFeatures'

/**
 * The `InvalidProtocol` error for `protocol` (at commit `version`, when known): `field` is the field
 * found wrong, `what` says what was expected and found; `context` carries both versions, the field
 * and, when one is to blame, the feature.
 */
export function invalidProtocol(protocol: Protocol, version: number | undefined, field: ProtocolField, what: string, feature?: string): ProtocolError {
  const { minReaderVersion: r, minWriterVersion: w } = protocol
  return new ProtocolError('InvalidProtocol', `invalid protocol (${r},${w})${version === undefined ? '' : ` at version ${version}`}: ${what}`, {
    context: { version, minReaderVersion: r, minWriterVersion: w, field, ...(feature === undefined ? {} : { feature }) },
  })
}

/**
 * Checks that a protocol action is legal: versions in range, `readerFeatures` exactly when the
 * reader version is 3 (which needs writer 7), `writerFeatures` exactly when the writer version is 7
 * (an empty list below those versions is tolerated), and every reader feature also listed as a
 * writer feature.
 * @throws ProtocolError `InvalidProtocol` naming the field (`context.field`) and what was expected and found.
 */
export function validateProtocol(protocol: Protocol, version?: number): void {
  const { minReaderVersion: r, minWriterVersion: w, readerFeatures, writerFeatures } = protocol
  const fail = (field: ProtocolField, what: string, feature?: string): never => {
    throw invalidProtocol(protocol, version, field, what, feature)
  }
  if (!Number.isSafeInteger(r) || r < 1 || r > MAX_READER_VERSION) fail('minReaderVersion', `expected minReaderVersion in 1..${MAX_READER_VERSION}, found ${r}`)
  if (!Number.isSafeInteger(w) || w < 1 || w > MAX_WRITER_VERSION) fail('minWriterVersion', `expected minWriterVersion in 1..${MAX_WRITER_VERSION}, found ${w}`)
  if (r === 3 && w !== 7) fail('minWriterVersion', `expected minWriterVersion 7 with minReaderVersion 3, found ${w}`)
  if (r === 3 && readerFeatures === undefined) fail('readerFeatures', 'expected readerFeatures with minReaderVersion 3, found none')
  if (w === 7 && writerFeatures === undefined) fail('writerFeatures', 'expected writerFeatures with minWriterVersion 7, found none')
  if (r < 3 && (readerFeatures?.length ?? 0) > 0) fail('readerFeatures', `expected no readerFeatures below minReaderVersion 3, found ${readerFeatures?.join(', ')}`)
  if (w < 7 && (writerFeatures?.length ?? 0) > 0) fail('writerFeatures', `expected no writerFeatures below minWriterVersion 7, found ${writerFeatures?.join(', ')}`)
  if (r === 3) {
    const writer = new Set(writerFeatures)
    const missing = (readerFeatures ?? []).filter((f) => !writer.has(f))
    if (missing.length > 0) fail('writerFeatures', `expected reader features also in writerFeatures, missing ${missing.join(', ')}`, missing[0])
  }
}
