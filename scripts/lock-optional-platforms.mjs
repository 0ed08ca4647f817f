// Adds lockfile entries for platform-specific optional dependencies that the registry this machine
// reaches does not serve (other OSes' binaries of @duckdb/node-bindings, rollup, ...). Without them
// `npm ci` refuses the lockfile as out of sync; with them it skips those packages as it does on a
// full registry, since they are optional and not for this platform. Run after `npm install`.
import { readFileSync, writeFileSync } from 'node:fs'

const file = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(file, 'utf8'))
const packages = lock.packages
let added = 0
for (const [path, node] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(node.optionalDependencies ?? {})) {
    const nested = `${path === '' ? '' : path + '/'}node_modules/${name}`
    if (packages[nested] !== undefined || packages[`node_modules/${name}`] !== undefined) continue
    packages[`node_modules/${name}`] = { version: version.replace(/^[\^~]/, ''), ...(node.dev ? { dev: true } : {}), optional: true }
    added++
  }
}
lock.packages = Object.fromEntries(Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0)))
writeFileSync(file, JSON.stringify(lock, null, 2) + '\n')
console.log(`added ${added} optional platform entries`)
