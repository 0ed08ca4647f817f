// An encoder worker that throws (an uncaught exception) on its first job, for the pool's failure tests.
import { parentPort } from 'node:worker_threads'

parentPort.on('message', () => {
  throw new Error('boom in the encoder')
})
