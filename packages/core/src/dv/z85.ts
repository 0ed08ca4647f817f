// Z85 (ZeroMQ Base-85) as Delta uses it for deletion vector ids and inline bitmaps
// (PROTOCOL.md#Deletion Vector Descriptor): 4 bytes big-endian <-> 5 chars.

import { DeletionVectorError } from './deletion-vector-error.js'

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#'
const DECODE = new Map<string, number>([...ALPHABET].map((ch, i) => [ch, i]))

/**
 * Decodes Z85 text (length a multiple of 5) to bytes. With `outputLength`, the padding bytes of the
 * last block are dropped (Delta pads the input to a multiple of 4).
 * @throws DeletionVectorError (`CorruptLog`) on a bad length or a char outside the alphabet.
 */
export function z85Decode(text: string, outputLength?: number): Uint8Array {
  if (text.length % 5 !== 0) {
    throw new DeletionVectorError(`invalid Z85 text: expected a length that is a multiple of 5, found ${text.length}`)
  }
  const out = new Uint8Array((text.length / 5) * 4)
  const view = new DataView(out.buffer)
  for (let block = 0; block < text.length / 5; block++) {
    let value = 0
    for (let i = 0; i < 5; i++) {
      const ch = text[block * 5 + i] ?? ''
      const digit = DECODE.get(ch)
      if (digit === undefined) {
        throw new DeletionVectorError(`invalid Z85 text: expected a Z85 char, found '${ch}' at ${block * 5 + i}`)
      }
      value = value * 85 + digit
    }
    if (value > 0xffffffff) throw new DeletionVectorError(`invalid Z85 text: block ${block} overflows 32 bits`)
    view.setUint32(block * 4, value)
  }
  if (outputLength === undefined) return out
  if (outputLength > out.length) {
    throw new DeletionVectorError(`invalid Z85 text: expected at least ${outputLength} bytes, found ${out.length}`)
  }
  return out.subarray(0, outputLength)
}

/** Encodes bytes as Z85, zero-padding the input to a multiple of 4 bytes first. */
export function z85Encode(bytes: Uint8Array): string {
  const padded = new Uint8Array(Math.ceil(bytes.length / 4) * 4)
  padded.set(bytes)
  const view = new DataView(padded.buffer)
  let out = ''
  for (let offset = 0; offset < padded.length; offset += 4) {
    let value = view.getUint32(offset)
    const chars: string[] = []
    for (let i = 0; i < 5; i++) {
      chars.push(ALPHABET[value % 85] ?? '')
      value = Math.floor(value / 85)
    }
    out += chars.reverse().join('')
  }
  return out
}
