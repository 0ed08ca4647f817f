// Generates the quick-start sample data in fixtures/events/ (deterministic; committed output).
import { mkdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const dir = fileURLToPath(new URL('../fixtures/events/', import.meta.url))
mkdirSync(dir, { recursive: true })
let seed = 42
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648)
const kinds = ['click', 'view', 'purchase', 'signup']
const users = Array.from({ length: 200 }, (_, i) => `user-${String(i).padStart(3, '0')}`)
const dates = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05']

function event(id, date, extra = {}) {
  const seconds = Math.floor(rand() * 86400)
  const micros = Math.floor(rand() * 1e6)
  const hh = String(Math.floor(seconds / 3600)).padStart(2, '0')
  const mm = String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')
  const ss = String(seconds % 60).padStart(2, '0')
  return {
    id,
    ts: `${date}T${hh}:${mm}:${ss}.${String(micros).padStart(6, '0')}Z`,
    date,
    user: users[Math.floor(rand() * users.length)],
    kind: kinds[Math.floor(rand() * kinds.length)],
    amount: (Math.floor(rand() * 100000) / 100).toFixed(2),
    ...extra,
  }
}
const lines = (rows) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n'

const base = Array.from({ length: 10000 }, (_, i) => event(i + 1, dates[i % dates.length]))
writeFileSync(dir + 'events.ndjson', lines(base))
const countries = ['DE', 'FR', 'US', 'JP', 'BR']
const more = Array.from({ length: 1000 }, (_, i) =>
  event(10001 + i, '2024-01-06', { country: countries[i % countries.length] }))
writeFileSync(dir + 'events-with-country.ndjson', lines(more))
const fix = Array.from({ length: 500 }, (_, i) => event(20001 + i, '2024-01-03', { country: 'DE' }))
writeFileSync(dir + 'events-2024-01-03-corrected.ndjson', lines(fix))
