// Test helper: the golden tables directory and a naive reader of the add actions in their JSON commits.
// Only for tests of pure code that needs real-world actions; snapshots do the real replay.

import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { GOLDEN_DIR } from './helpers/golden.js'

export { GOLDEN_DIR }

/** One raw JSON action line's payload. */
export type RawAction = Record<string, unknown>

/** Every action of every JSON commit of a golden table, in version order, as raw objects. */
export function readGoldenActions(table: string): { version: number; action: RawAction }[] {
  const logDir = path.join(GOLDEN_DIR, table, '_delta_log')
  const out: { version: number; action: RawAction }[] = []
  for (const name of readdirSync(logDir).filter((n) => /^\d{20}\.json$/.test(n)).sort()) {
    const version = Number(name.slice(0, 20))
    for (const line of readFileSync(path.join(logDir, name), 'utf8').split('\n')) {
      if (line.trim() !== '') out.push({ version, action: JSON.parse(line) as RawAction })
    }
  }
  return out
}

/** The `add` payloads of a golden table's JSON commits. */
export function readGoldenAdds(table: string): RawAction[] {
  return readGoldenActions(table)
    .map(({ action }) => action['add'])
    .filter((a): a is RawAction => typeof a === 'object' && a !== null)
}
