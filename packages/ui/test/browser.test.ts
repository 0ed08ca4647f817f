// The page in headless Chromium (Debian's `chromium`, driven by playwright-core): the overview's
// numbers, every version in the history, a version's files and schema change, data at an earlier
// version, a filter error shown inline, the history a cleaned-up log no longer has, `<script>` in a value and a column name rendered as text,
// and requests without the token or under a foreign host name refused. Screenshots of each view go
// to packages/ui/test-artifacts/ (gitignored).

import { cpSync, existsSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { resolveTable } from '@lake/core/internal'
import { startUiServer } from '@lake/ui'
import type { UiServer } from '@lake/ui'
import { tempDir } from './temp-dir.js'
import { SCRIPT, SCRIPT_COLUMN, writeSampleTable } from './ui-harness.js'

const CHROMIUM = process.env['LAKE_CHROMIUM'] ?? '/usr/bin/chromium'
const ARTIFACTS = fileURLToPath(new URL('../test-artifacts/', import.meta.url))
const FOREIGN = 'rebound.example'

let server: UiServer
let browser: Browser
let page: Page

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`expected Chromium at ${CHROMIUM} (apt-get install chromium, or set LAKE_CHROMIUM), found none`)
  mkdirSync(ARTIFACTS, { recursive: true })
  const dir = tempDir('lake-ui-browser-')
  await writeSampleTable(dir)
  server = await startUiServer({ engine: await resolveTable(dir), uri: dir })
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', `--host-resolver-rules=MAP ${FOREIGN} 127.0.0.1`],
    env: { ...process.env, TMPDIR: tempDir('lake-ui-chromium-'), HOME: tempDir('lake-ui-home-') },
  })
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } })
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** Opens a view by its hash and waits until it rendered. */
async function open(hash: string, ready: string): Promise<void> {
  await page.goto(`${server.url}#/${hash}`)
  await page.waitForSelector(`#view[data-ready="${ready}"]`)
}

const shot = (name: string): Promise<Buffer> => page.screenshot({ path: `${ARTIFACTS}${name}.png`, fullPage: true })
const texts = (selector: string): Promise<string[]> => page.locator(selector).allTextContents()

describe('the page in Chromium', () => {
  it('shows the overview numbers', async () => {
    await open('overview', 'overview')
    expect(await page.textContent('dd[data-field="Version"]')).toBe('v4')
    expect(await page.textContent('dd[data-field="Files"]')).toBe('3')
    expect(await page.textContent('dd[data-field="Records"]')).toBe('3')
    expect(await page.textContent('dd[data-field="Partition columns"]')).toBe('day')
    expect(await page.textContent('dd[data-field="Description"]')).toBe('a <b>sample</b> table')
    expect(await texts('[data-testid="columns"] tbody tr td:first-child')).toContain(SCRIPT_COLUMN)
    await shot('overview')
  })

  it('lists every version in the history and on the timeline', async () => {
    await open('history', 'history')
    expect(await texts('[data-testid="history"] tbody tr td:first-child')).toEqual(['v4', 'v3', 'v2', 'v1', 'v0'])
    expect(await texts('[data-testid="history"] tbody tr td:nth-child(3)')).toEqual(['DELETE', 'WRITE', 'WRITE', 'WRITE', 'CREATE TABLE'])
    expect(await page.locator('[data-testid="timeline"] canvas').count()).toBe(1)
    await shot('history')
  })

  it('shows the files and the schema change of a selected version', async () => {
    await open('history', 'history')
    await page.click('a[data-version="3"]')
    await page.waitForSelector('#view[data-ready="version"]')
    expect(await page.textContent('[data-testid="version-title"]')).toBe('v3')
    expect(await page.locator('[data-testid="files-added"] tbody tr').count()).toBe(1)
    expect(await texts('[data-testid="schema-change"] tbody tr td')).toEqual(['added', 'note', 'NULL', 'string'])
    await shot('version')
  })

  it('shows the rows of an earlier version, values exact and markup as text', async () => {
    await open('data', 'data')
    await page.fill('[data-testid="data-version"]', '1')
    await page.click('[data-testid="data-apply"]')
    await page.locator('[data-testid="data-info"]', { hasText: /^v1:/ }).waitFor()
    const rows = await page.locator('[data-testid="data"] tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)))
    expect(rows).toHaveLength(2)
    expect(rows).toContainEqual(['9007199254740993', SCRIPT, '12345678901234567.891', '2024-05-01T12:00:00.123456Z', '0001abff', 'x', '2024-05-01'])
    expect(await texts('[data-testid="data"] thead th')).toContain(`${SCRIPT_COLUMN}: string`)
    // one script (the bundle); neither markup ran (they would set window.__pwned / __col)
    expect(await page.evaluate('[document.scripts.length, typeof window.__pwned, typeof window.__col]')).toEqual([1, 'undefined', 'undefined'])
    await shot('data')
  })

  it('shows a filter error inline and keeps the form', async () => {
    await open('data', 'data')
    await page.fill('[data-testid="data-filter"]', 'id >')
    await page.click('[data-testid="data-apply"]')
    const error = page.locator('[data-testid="data-error"]')
    await error.waitFor({ state: 'visible' })
    expect(await error.textContent()).toMatch(/^InvalidPredicate: /)
    expect(await page.inputValue('[data-testid="data-filter"]')).toBe('id >')
    await shot('data-filter-error')
  })

  it('shows health findings with the command that fixes each', async () => {
    await open('health', 'health')
    expect(await page.locator('[data-testid="findings"] li').evaluateAll((lis) => lis.map((li) => li.getAttribute('data-kind')))).toEqual(['smallFiles', 'deletionVectors'])
    const commands = await texts('[data-testid="findings"] li code')
    expect(commands).toHaveLength(2)
    for (const command of commands) expect(command).toMatch(/^lake optimize \S+lake-ui-browser-\w+$/)
    expect(await page.locator('[data-testid="histogram"] canvas').count()).toBe(1)
    await shot('health')
  })

  it('shows a golden table: both versions, the column v1 added, and v0\'s rows', async () => {
    const uri = fileURLToPath(new URL('../../../fixtures/golden/time-travel-schema-changes-b', import.meta.url))
    const golden = await startUiServer({ engine: await resolveTable(uri), uri })
    try {
      await page.goto(`${golden.url}#/history`)
      await page.waitForSelector('#view[data-ready="history"]')
      expect(await texts('[data-testid="history"] tbody tr td:first-child')).toEqual(['v1', 'v0'])
      await page.click('a[data-version="1"]')
      await page.waitForSelector('#view[data-ready="version"]')
      expect(await texts('[data-testid="schema-change"] tbody tr td')).toEqual(['added', 'part', 'NULL', 'long'])
      await page.goto(`${golden.url}#/data`)
      await page.waitForSelector('#view[data-ready="data"]')
      await page.fill('[data-testid="data-version"]', '0')
      await page.click('[data-testid="data-apply"]')
      await page.locator('[data-testid="data-info"]', { hasText: /^v0:/ }).waitFor()
      expect(await texts('[data-testid="data"] thead th')).toEqual(['id: long'])
      await shot('golden-data-v0')
    } finally {
      await golden.close()
    }
  })

  it('says which history a log cleaned up to a checkpoint no longer has', async () => {
    const uri = join(tempDir('lake-ui-cleaned-'), 'checkpoint')
    cpSync(fileURLToPath(new URL('../../../fixtures/golden/checkpoint', import.meta.url)), uri, { recursive: true })
    for (let v = 0; v <= 10; v++) rmSync(join(uri, '_delta_log', `${String(v).padStart(20, '0')}.json`))
    const cleaned = await startUiServer({ engine: await resolveTable(uri), uri })
    try {
      await page.goto(`${cleaned.url}#/history`)
      await page.waitForSelector('#view[data-ready="history"]')
      expect(await texts('[data-testid="history"] tbody tr td:first-child')).toEqual(['v14', 'v13', 'v12', 'v11'])
      expect(await texts('[data-testid="history-summary"]')).toEqual([
        '4 of 5 commits shown (v10 … v14); history before v11 is not available (the log starts at the checkpoint of v10)',
      ])
    } finally {
      await cleaned.close()
    }
  })

  it('refuses the page without the token and under a foreign host name (DNS rebinding)', async () => {
    const noToken = await page.goto(`http://127.0.0.1:${server.port}/`)
    expect(noToken?.status()).toBe(401)
    const rebound = await page.goto(`http://${FOREIGN}:${server.port}/?token=${server.token}`)
    expect(rebound?.status()).toBe(403)
    expect(await page.textContent('body')).toContain('ForbiddenHost')
  })
})
