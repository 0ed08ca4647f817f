// The page: a tab bar and one view at a time, chosen by the URL hash (#/overview, #/history,
// #/version/N, #/data, #/health) so the browser's back button and links work.

import 'uplot/dist/uPlot.min.css'
import './style.css'
import { ApiError } from './api.js'
import { h, replace } from './dom.js'
import { renderData } from './views/data.js'
import { renderHealth } from './views/health.js'
import { renderHistory } from './views/history.js'
import { renderOverview } from './views/overview.js'
import { renderVersion } from './views/version.js'

const TABS = [
  ['overview', 'Overview'],
  ['history', 'History'],
  ['data', 'Data'],
  ['health', 'Health'],
] as const

const view = document.getElementById('view') as HTMLElement
const nav = document.getElementById('nav') as HTMLElement

function route(): { name: string; arg: string | undefined } {
  const [name, arg] = location.hash.replace(/^#\/?/, '').split('/')
  return { name: name === undefined || name === '' ? 'overview' : name, arg }
}

async function show(): Promise<void> {
  const { name, arg } = route()
  replace(nav, ...TABS.map(([id, label]) => h('a', { href: `#/${id}`, 'data-tab': id, class: id === name || (id === 'history' && name === 'version') ? 'active' : undefined }, label)))
  replace(view, h('p', { class: 'loading' }, 'Loading…'))
  try {
    if (name === 'history') await renderHistory(view)
    else if (name === 'version') await renderVersion(view, Number(arg))
    else if (name === 'data') await renderData(view)
    else if (name === 'health') await renderHealth(view)
    else await renderOverview(view)
  } catch (err) {
    const message = err instanceof ApiError ? `${err.code}: ${err.message}` : String(err)
    replace(view, h('p', { class: 'error', 'data-testid': 'view-error' }, message))
  }
  view.setAttribute('data-ready', name)
}

window.addEventListener('hashchange', () => void show())
void show()
