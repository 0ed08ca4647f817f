// examples/storage.mjs: run after `npm run build` with `node examples/storage.mjs`
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openStore, isLakeError } from '@lake/storage'

const dir = await mkdtemp(join(tmpdir(), 'lake-example-'))
const store = await openStore(join(dir, 'events')) // or 'file:///…', 's3://bucket/prefix'
const commit = new TextEncoder().encode('{"commitInfo":{}}\n')

await store.putIfAbsent('_delta_log/00000000000000000000.json', commit)
try {
  await store.putIfAbsent('_delta_log/00000000000000000000.json', commit) // a second writer loses
} catch (err) {
  if (!isLakeError(err, 'AlreadyExists')) throw err
  console.log('lost the race:', err.code)
}
for await (const meta of store.list('_delta_log/')) console.log(meta.path, meta.size)
const tail = await store.get('_delta_log/00000000000000000000.json', { range: { suffix: 3 } })
console.log(JSON.stringify(new TextDecoder().decode(tail)))
await rm(dir, { recursive: true, force: true })
