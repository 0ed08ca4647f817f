// A worker thread of the Arrow encode pool: IPC stream bytes in (from the pool's shared buffer), Parquet
// bytes with page CRCs out (transferred). Imports only the wasm writer (parquet-wasm and page-crc/),
// not apache-arrow or @lake/core, so a worker starts in a few milliseconds.

import { parentPort } from 'node:worker_threads'
import { writeIpcParquet } from '../wasm-writer.js'
import type { EncodeJob, EncodeReply } from './messages.js'

const port = parentPort
if (port === null) throw new Error('encode-worker.js: expected to run in a worker thread, found the main thread')

port.on('message', (job: EncodeJob) => {
  let reply: EncodeReply
  try {
    reply = { id: job.id, bytes: writeIpcParquet(new Uint8Array(job.ipc, 0, job.byteLength), job.options) }
  } catch (err) {
    port.postMessage({ id: job.id, error: err instanceof Error ? err.message : String(err) } satisfies EncodeReply)
    return
  }
  port.postMessage(reply, [reply.bytes.buffer as ArrayBuffer])
})
