// NDJSON source: one JSON object per line, read with a streaming line splitter. Offsets are
// { line, byte }; the batch unit is lines. Unparseable lines become invalid records (dead letters).

import type { StructType } from '@lake/parquet'
import type { JsonValue } from '../types.js'
import { resolveByteInput } from './byte-source.js'
import type { ByteInput, OpenBytes } from './byte-source.js'
import { fingerprintOf } from './fingerprint.js'
import { parseNdjsonLine } from './parse-line.js'
import { lineOffsetJson, parseLineOffset } from './line-offset.js'
import type { ReadContext, Source, SourceRecord } from './source.js'
import { countLines, splitLines } from './split-lines.js'
import { inferSample } from './infer-sample.js'

/** Lines sampled by `schema()`. */
export const DEFAULT_SAMPLE_LINES = 1000

/** Options of `NdjsonSource`. */
export type NdjsonSourceOptions = ByteInput & {
  /** Lines read by `schema()` to infer a new table's schema. Default 1000. */
  readonly sampleLines?: number
  /** The longest line accepted, in bytes; a longer line fails the read. Default 64 MiB. */
  readonly maxLineBytes?: number
  /** Objects and arrays nest at most this deep; a deeper line is an `invalid` record. Default 100. */
  readonly maxDepth?: number
}

/**
 * Reads newline-delimited JSON (UTF-8; a byte order mark before the first line is skipped). Each
 * non-blank line must be a JSON object; anything else is an `invalid` record (`code` `InvalidJson`,
 * `InvalidUtf8` or `NotAnObject`) with the raw line and its 1-based line number as `position`; a
 * line nested deeper than `maxDepth` is `InvalidJson`. Blank lines are skipped but counted. A line
 * longer than `maxLineBytes` fails the read (IngestError `InvalidArgument`, context `{ line }`).
 * The input is assumed complete (a file still being appended to may end in a partial line).
 *
 * Schema inference (`schema()`): `inferSample` over the first `sampleLines` objects (the
 * majority JSON type of each column wins; then `inferSchema` of `@lake/core/internal`): numbers written as
 * integers → long, numbers written with a fraction or an exponent (`5.0`, `1e3`) → double, whatever
 * their value; strings → string, booleans → boolean, objects → struct, arrays →
 * array; a column seen only as null becomes string. Dates stay strings unless declared.
 *
 * Numbers are exact (`parseRecordLine`): integers beyond 2^53 read as bigint, a long column gets
 * a bigint, a decimal column the number's exact digits; a line with a number a long column cannot
 * hold (a fraction) is an `invalid` record with code `SchemaMismatch`.
 */
export class NdjsonSource implements Source {
  readonly #open: OpenBytes
  readonly #identity: string
  readonly #sampleLines: number
  readonly #maxLineBytes: number | undefined
  readonly #maxDepth: number | undefined

  constructor(options: NdjsonSourceOptions) {
    const input = resolveByteInput(options)
    this.#open = input.open
    this.#identity = input.identity
    this.#sampleLines = options.sampleLines ?? DEFAULT_SAMPLE_LINES
    this.#maxLineBytes = options.maxLineBytes
    this.#maxDepth = options.maxDepth
  }

  /** Positions are 1-based line numbers: `line 3`. */
  describePosition(position: JsonValue): string {
    return `line ${JSON.stringify(position)}`
  }

  fingerprint(): string {
    return fingerprintOf('ndjson', { input: this.#identity })
  }

  async initialOffset(): Promise<JsonValue> {
    return lineOffsetJson({ line: 0, byte: 0 })
  }

  async latestOffset(start: JsonValue, limit: number | undefined): Promise<JsonValue> {
    const from = parseLineOffset(start, 'ndjson')
    const counted = await countLines(this.#open(from.byte, undefined), from.byte, limit ?? Number.POSITIVE_INFINITY)
    return lineOffsetJson({ line: from.line + counted.lines, byte: counted.end })
  }

  async *read(start: JsonValue, end: JsonValue, context: ReadContext = {}): AsyncGenerator<SourceRecord> {
    const from = parseLineOffset(start, 'ndjson')
    const to = parseLineOffset(end, 'ndjson')
    const lines = splitLines(this.#open(from.byte, to.byte), from.byte, { firstLine: from.line + 1, maxLineBytes: this.#maxLineBytes })
    for await (const { text, line, invalidUtf8 } of lines) {
      context.signal?.throwIfAborted()
      const json = from.byte === 0 && line === 1 && text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
      if (invalidUtf8) yield { kind: 'invalid', raw: text, code: 'InvalidUtf8', message: `line ${line}: expected UTF-8 text, found invalid UTF-8 bytes`, position: line }
      else if (json.trim() !== '') yield parseNdjsonLine(json, line, context.schema, this.#maxDepth)
    }
  }

  async schema(): Promise<StructType | undefined> {
    const sample: Record<string, unknown>[] = []
    const start = await this.initialOffset()
    for await (const record of this.read(start, await this.latestOffset(start, this.#sampleLines))) {
      if (record.kind === 'record') sample.push(record.value as Record<string, unknown>)
    }
    return inferSample(sample)
  }
}
