// History: the timeline and the table of commits, newest first, a page at a time ("Load older").

import { api } from '../api.js'
import { h, replace, section, table } from '../dom.js'
import { count } from '../format.js'
import type { CommitSummary, HistoryPage } from '../types.js'
import { timeline } from './timeline.js'

/** Commits fetched per page. */
const PAGE = 100

export async function renderHistory(view: HTMLElement): Promise<void> {
  const entries: CommitSummary[] = []
  const chart = h('div', {})
  const rows = h('div', {})
  const summary = h('p', { 'data-testid': 'history-summary' })
  const more = h('button', { type: 'button', 'data-testid': 'history-more' }, 'Load older commits')
  let next: number | null = null
  const load = async (): Promise<void> => {
    const page = await api<HistoryPage>('history', { limit: PAGE, before: next ?? undefined })
    entries.push(...page.entries)
    next = page.next
    const cleaned = page.earliest > 0 ? `; history before v${page.availableFrom} is not available (the log starts at the checkpoint of v${page.earliest})` : ''
    summary.textContent = `${count(entries.length)} of ${count(page.total)} commits shown (v${page.earliest} … v${page.latest})${cleaned}`
    more.hidden = next === null
    replace(chart, timeline(entries, Math.max(320, view.clientWidth - 40), (v) => (location.hash = `#/version/${v}`)))
    replace(rows, historyTable(entries))
  }
  more.addEventListener('click', () => void load())
  replace(view, section('Timeline', chart), section('Commits', summary, rows, more))
  await load()
}

function historyTable(entries: readonly CommitSummary[]): HTMLTableElement {
  return table(
    'history',
    ['Version', 'Time', 'Operation', 'Rows added', 'Rows removed', 'Files added', 'Files removed', 'Bytes written', 'Engine'],
    entries.map((e) => [
      h('a', { href: `#/version/${e.version}`, 'data-version': String(e.version) }, `v${e.version}`),
      e.timestamp,
      e.operation,
      ...[e.rowsAdded, e.rowsRemoved, e.filesAdded, e.filesRemoved, e.bytesWritten, e.engine].map((v) => v ?? '—'),
    ]),
  )
}
