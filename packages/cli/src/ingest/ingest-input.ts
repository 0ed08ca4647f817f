// The input of `lake ingest` as one @lake/ingest Source (CsvSource or NdjsonSource): a file, or
// stdin spooled to a private temp file so that every route (and an exactly-once job) can re-read it.
// Its identity is the content's SHA-256: a job resumes only over the same bytes.

import { createHash } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { CsvSource, NdjsonSource } from '@lake/ingest/append'
import type { OpenBytes, Source } from '@lake/ingest'
import { errnoOf } from '@lake/storage'
import { UsageError } from '../usage-error.js'

/** Input formats of `lake ingest`. */
export type InputFormat = 'ndjson' | 'csv'

/** An opened input: its source, its bytes (whole, once per call), its size, and what to remove afterwards. */
export interface IngestInput {
  readonly source: Source
  readonly open: () => AsyncIterable<Uint8Array>
  /** The file holding the bytes (stdin's spooled copy). */
  readonly path: string
  readonly bytes: number
  /** Removes the spooled copy of stdin (nothing for a file). Never throws. */
  readonly close: () => Promise<void>
}

/** Where the input comes from. */
export interface InputSpec {
  /** A file path, or undefined for stdin. */
  readonly path: string | undefined
  readonly stdin: Readable
  readonly format: InputFormat
  /** Hash the content for the source's fingerprint (an exactly-once job needs it). */
  readonly identify: boolean
  readonly signal: AbortSignal
}

/**
 * Opens the input. A file must exist and be a regular file; stdin is copied to a temp file first.
 * @throws UsageError when the file is missing or not a regular file.
 */
export async function openInput(spec: InputSpec): Promise<IngestInput> {
  if (spec.path !== undefined) {
    const bytes = await fileSize(spec.path)
    const id = spec.identify ? await sha256(createReadStream(spec.path), spec.signal) : `file:${spec.path}`
    return { source: sourceOf(spec.format, opener(spec.path), id), open: wholeFile(spec.path), path: spec.path, bytes, close: async () => undefined }
  }
  const dir = await mkdtemp(join(tmpdir(), 'lake-ingest-stdin-'))
  const close = (): Promise<void> => rm(dir, { recursive: true, force: true }).catch(() => undefined)
  try {
    const path = join(dir, 'input')
    const hash = createHash('sha256')
    await pipeline(spec.stdin, async function* (chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        hash.update(chunk)
        yield chunk
      }
    }, createWriteStream(path), { signal: spec.signal })
    return { source: sourceOf(spec.format, opener(path), `sha256:${hash.digest('hex')}`), open: wholeFile(path), path, bytes: await fileSize(path), close }
  } catch (err) {
    await close()
    throw err
  }
}

function sourceOf(format: InputFormat, open: OpenBytes, id: string): Source {
  return format === 'csv' ? new CsvSource({ open, id }) : new NdjsonSource({ open, id })
}

function opener(path: string): OpenBytes {
  return (fromByte, toByte) => {
    if (toByte !== undefined && toByte <= fromByte) return noBytes()
    return createReadStream(path, { start: fromByte, ...(toByte === undefined ? {} : { end: toByte - 1 }) })
  }
}

async function* noBytes(): AsyncGenerator<Uint8Array> {}

/** Read buffer of a whole-file read: large reads, few callbacks. */
const READ_BYTES = 1 << 20 // 1 MiB

function wholeFile(path: string): () => AsyncIterable<Uint8Array> {
  return () => createReadStream(path, { highWaterMark: READ_BYTES })
}

async function fileSize(path: string): Promise<number> {
  let info
  try {
    info = await stat(path)
  } catch (err) {
    const errno = errnoOf(err)
    throw new UsageError(`input file '${path}': expected a readable file, found ${errno === 'ENOENT' ? 'no such file' : `an error (${errno ?? String(err)})`}`, "give an existing NDJSON or CSV file, or '-' for stdin", { cause: err })
  }
  if (!info.isFile()) throw new UsageError(`input file '${path}': expected a regular file, found ${info.isDirectory() ? 'a directory' : 'another kind of file'}`)
  return info.size
}

async function sha256(input: AsyncIterable<Buffer>, signal: AbortSignal): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of input) {
    signal.throwIfAborted()
    hash.update(chunk)
  }
  return `sha256:${hash.digest('hex')}`
}
