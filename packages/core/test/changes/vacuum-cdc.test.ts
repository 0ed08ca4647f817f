// VACUUM and change data files (PROTOCOL.md#Change Data Files): cdc files are never part of the table
// state, so vacuum deletes those older than the retention and keeps newer ones (as Spark's VACUUM does).

import { describe, expect, it } from 'vitest'
import { deleteRows, vacuum } from '../../src/internal.js'
import { ClockTable, DAY_MS, EVENTS, ids } from '../maintenance/helpers.js'

describe('vacuum of _change_data/', () => {
  it('deletes cdc files older than the retention and keeps the newer ones', async () => {
    const t = new ClockTable()
    await t.write([{ id: 1n, day: 'a' }, { id: 2n, day: 'a' }, { id: 3n, day: 'a' }], { schema: EVENTS, configuration: { 'delta.enableChangeDataFeed': 'true' } })
    const cdcKeys = async (): Promise<string[]> => (await t.keys()).filter((k) => k.startsWith('_change_data/'))
    await deleteRows(t.engine, 'id = 1') // copy-on-write: a cdc file now
    const [old] = await cdcKeys()
    t.now += 3 * DAY_MS
    await deleteRows(t.engine, 'id = 2') // and another, three days later
    const [fresh] = (await cdcKeys()).filter((k) => k !== old)
    expect(old).toBeDefined()
    expect(fresh).toBeDefined()
    t.now += 5 * DAY_MS // the first is 8 days old, the second 5: retention is 7 days
    const dry = await vacuum(t.engine)
    expect(dry.files.map((f) => f.path)).toContain(old)
    expect(dry.files.map((f) => f.path)).not.toContain(fresh)
    await vacuum(t.engine, { dryRun: false })
    expect(await cdcKeys()).toEqual([fresh])
    expect(ids(await t.rows())).toEqual([3])
  })
})
