// Protocol legality (PROTOCOL.md#Protocol Evolution, #Table Features): versions and feature lists
// that fit together. Readability (which features lake implements) is derived in features/. Pure.

import type { Protocol } from '../actions/types.js'
import { ProtocolError } from '../errors.js'

/** The highest reader version defined by the protocol (3: table features). */
export const MAX_READER_VERSION = 3
/** The highest writer version defined by the protocol (7: table features). */
export const MAX_WRITER_VERSION = 7

/**
 * Checks that a protocol action is legal: versions in range, `readerFeatures` exactly when the
 * reader version is 3 (which needs writer 7), `writerFeatures` when the writer version is 7, and
 * every reader feature also listed as a writer feature.
 * @throws ProtocolError `InvalidProtocol` naming what was expected and found.
 */
export function validateProtocol(protocol: Protocol, version?: number): void {
  const { minReaderVersion: r, minWriterVersion: w } = protocol
  const fail = (what: string): never => {
    throw new ProtocolError('InvalidProtocol', `invalid protocol (${r},${w})${version === undefined ? '' : ` at version ${version}`}: ${what}`, {
      context: { version, minReaderVersion: r, minWriterVersion: w },
    })
  }
  if (r < 1 || r > MAX_READER_VERSION) fail(`expected minReaderVersion in 1..${MAX_READER_VERSION}, found ${r}`)
  if (w < 1 || w > MAX_WRITER_VERSION) fail(`expected minWriterVersion in 1..${MAX_WRITER_VERSION}, found ${w}`)
  if (r === 3 && w !== 7) fail('expected minWriterVersion 7 with minReaderVersion 3')
  if (r === 3 && protocol.readerFeatures === undefined) fail('expected readerFeatures with minReaderVersion 3')
  if (w === 7 && protocol.writerFeatures === undefined) fail('expected writerFeatures with minWriterVersion 7')
  if (r < 3 && (protocol.readerFeatures?.length ?? 0) > 0) fail(`expected no readerFeatures below minReaderVersion 3, found ${protocol.readerFeatures?.join(', ')}`)
  if (r === 3) {
    const writer = new Set(protocol.writerFeatures)
    const missing = (protocol.readerFeatures ?? []).filter((f) => !writer.has(f))
    if (missing.length > 0) fail(`expected reader features also in writerFeatures, missing ${missing.join(', ')}`)
  }
}
