// The offset of the text sources: a count of lines (or records) consumed and the byte offset
// after them. Parsed from the job's JSON offset log.

import { IngestError } from '../errors.js'
import type { JsonValue } from '../types.js'

/** Position in a text input: `line` units consumed, ending at byte `byte`. */
export interface LineOffset {
  readonly line: number
  readonly byte: number
}

/** Parses an offset read back from the offset log. @throws IngestError `CorruptLog`. */
export function parseLineOffset(value: JsonValue, source: string): LineOffset {
  if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const { line, byte } = value as Record<string, JsonValue>
    if (Number.isSafeInteger(line) && Number.isSafeInteger(byte) && (line as number) >= 0 && (byte as number) >= 0) {
      return { line: line as number, byte: byte as number }
    }
  }
  throw new IngestError('CorruptLog', `${source}: expected an offset { line, byte } of non-negative integers, found ${JSON.stringify(value)}`)
}

/** The JSON form of an offset. */
export function lineOffsetJson(offset: LineOffset): JsonValue {
  return { line: offset.line, byte: offset.byte }
}
