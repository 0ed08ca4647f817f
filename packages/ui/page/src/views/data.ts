// Data: the rows of a version or timestamp (time travel), with columns, a filter in lake's
// expression language (errors shown inline, the form kept) and paging. Values are the server's
// exact text, put in cells as text.

import { api, ApiError } from '../api.js'
import { h, replace, section, table } from '../dom.js'
import type { DataPage, Overview } from '../types.js'

const PAGE_ROWS = 50

export async function renderData(view: HTMLElement): Promise<void> {
  const o = await api<Overview>('overview')
  const input = (id: string, placeholder: string, value = ''): HTMLInputElement => {
    const el = h('input', { name: id, 'data-testid': `data-${id}`, placeholder })
    el.value = value
    return el
  }
  const version = input('version', `version (0 … ${o.latestVersion})`, String(o.version))
  const timestamp = input('timestamp', 'or timestamp: 2024-05-01T00:00:00Z')
  const columns = input('columns', `columns: ${o.columns.filter((c) => !c.path.includes('.')).map((c) => c.path).join(',')}`)
  const filter = input('filter', "filter: id > 10 AND day = '2024-05-01'")
  const apply = h('button', { type: 'submit', 'data-testid': 'data-apply' }, 'Show')
  const error = h('p', { class: 'error', 'data-testid': 'data-error', hidden: '' })
  const result = h('div', { 'data-testid': 'data-result' })
  let offset = 0
  const load = async (): Promise<void> => {
    error.hidden = true
    try {
      const page = await api<DataPage>('data', { version: timestamp.value.trim() === '' ? version.value.trim() : undefined, timestamp: timestamp.value.trim(), columns: columns.value, filter: filter.value, offset, limit: PAGE_ROWS })
      replace(result, pageView(page, (delta) => {
        offset = Math.max(0, offset + delta)
        void load()
      }))
    } catch (err) {
      error.textContent = err instanceof ApiError ? `${err.code}: ${err.message}` : String(err)
      error.hidden = false
      replace(result)
    }
  }
  const form = h('form', { class: 'data-form' }, version, timestamp, columns, filter, apply)
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    offset = 0
    void load()
  })
  replace(view, section('Data', form, error, result))
  await load()
}

function pageView(page: DataPage, move: (delta: number) => void): HTMLElement {
  const prev = h('button', { type: 'button', 'data-testid': 'data-prev' }, '← Previous')
  const next = h('button', { type: 'button', 'data-testid': 'data-next' }, 'Next →')
  prev.disabled = page.offset === 0
  next.disabled = !page.more
  prev.addEventListener('click', () => move(-PAGE_ROWS))
  next.addEventListener('click', () => move(PAGE_ROWS))
  const info = h('p', { 'data-testid': 'data-info' }, `v${page.version}: rows ${page.offset + 1} … ${page.offset + page.rows.length}${page.more ? ' (more follow)' : ''}`)
  const headers = page.columns.map((c) => `${c.name}: ${c.type}`)
  return h('div', {}, info, table('data', headers, page.rows), h('p', {}, prev, ' ', next))
}
