// An encoder worker that dies on its first job (exit code 3), for the pool's failure tests.
import { parentPort } from 'node:worker_threads'

parentPort.on('message', () => process.exit(3))
