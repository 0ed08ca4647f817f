// Splits a byte stream into lines ('\n'-terminated, '\r\n' tolerated) with their byte offsets.
// A last line without a newline ends at the end of the stream.

/** One line: its text (no terminator), the byte offset after its terminator. */
export interface Line {
  readonly text: string
  readonly end: number
}

const NEWLINE = 0x0a

/**
 * Yields the lines of `bytes`, which starts at byte `offset` of the input. Holds at most one
 * partial line across chunks.
 */
export async function* splitLines(bytes: AsyncIterable<Uint8Array>, offset: number): AsyncGenerator<Line> {
  let carry: Buffer | undefined
  let pos = offset
  for await (const chunk of bytes) {
    let buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    if (carry !== undefined) {
      buf = Buffer.concat([carry, buf])
      carry = undefined
    }
    let start = 0
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      pos += nl + 1 - start
      yield { text: decodeLine(buf, start, nl), end: pos }
      start = nl + 1
    }
    if (start < buf.length) carry = buf.subarray(start)
  }
  if (carry !== undefined && carry.length > 0) yield { text: decodeLine(carry, 0, carry.length), end: pos + carry.length }
}

/**
 * Counts up to `limit` lines from `offset` without decoding them; returns the lines counted and
 * the byte offset after the last one.
 */
export async function countLines(bytes: AsyncIterable<Uint8Array>, offset: number, limit: number): Promise<{ lines: number; end: number }> {
  let lines = 0
  let pos = offset
  let pending = 0
  for await (const chunk of bytes) {
    const buf = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    let start = 0
    for (let nl = buf.indexOf(NEWLINE, start); nl !== -1; nl = buf.indexOf(NEWLINE, start)) {
      lines++
      pos += pending + nl + 1 - start
      pending = 0
      start = nl + 1
      if (lines >= limit) return { lines, end: pos }
    }
    pending += buf.length - start
  }
  if (pending > 0) return { lines: lines + 1, end: pos + pending }
  return { lines, end: pos }
}

function decodeLine(buf: Buffer, start: number, end: number): string {
  const stop = end > start && buf[end - 1] === 0x0d ? end - 1 : end
  return buf.toString('utf8', start, stop)
}
