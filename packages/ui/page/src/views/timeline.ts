// The history timeline (uPlot): one mark per commit at its version, height the rows it changed
// (added plus removed, log scale; commits without row metrics sit on the baseline), one colour per
// operation. Hovering names the commit; clicking opens it.

import uPlot from 'uplot'
import { h } from '../dom.js'
import type { CommitSummary } from '../types.js'

const COLORS = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#64748b']

/** Rows a commit changed, at least 1 so it shows on the log scale. */
function height(e: CommitSummary): number {
  const n = Number(e.rowsAdded ?? 0) + Number(e.rowsRemoved ?? 0)
  return Number.isFinite(n) && n >= 1 ? n : 1
}

/** A chart of `entries` (any order) that calls `open(version)` on click. */
export function timeline(entries: readonly CommitSummary[], width: number, open: (version: number) => void): HTMLElement {
  const sorted = [...entries].sort((a, b) => a.version - b.version)
  const ops = [...new Set(sorted.map((e) => e.operation ?? '(none)'))]
  const shown = ops.slice(0, COLORS.length - 1)
  const opIndex = (e: CommitSummary): number => Math.min(shown.indexOf(e.operation ?? '(none)') === -1 ? shown.length : shown.indexOf(e.operation ?? '(none)'), shown.length)
  const labels = ops.length > shown.length ? [...shown, 'other'] : shown
  const xs = sorted.map((e) => e.version)
  const ys = labels.map((_, i) => sorted.map((e) => (opIndex(e) === i ? height(e) : null)))
  const hover = h('p', { class: 'hover', 'data-testid': 'timeline-hover' }, 'Hover a mark to see its commit; click to open it.')
  const holder = h('div', { class: 'timeline', 'data-testid': 'timeline' })
  const opts: uPlot.Options = {
    width,
    height: 260,
    scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] }, y: { distr: 3 } },
    axes: [{ label: 'version', values: (_u, splits) => splits.map((v) => (Number.isInteger(v) ? `v${v}` : '')) }, { label: 'rows changed (log)' }],
    series: [{ label: 'version', value: (_u, v) => (v === null ? '' : `v${v}`) }, ...labels.map((label, i) => ({ label, stroke: COLORS[i], fill: COLORS[i], paths: () => null, points: { show: true, size: 7, fill: COLORS[i] } }))],
    hooks: { setCursor: [(u: uPlot) => describe(u, sorted, hover)] },
  }
  const chart = new uPlot(opts, [xs, ...ys], holder)
  chart.over.addEventListener('click', () => {
    const idx = chart.cursor.idx
    const entry = idx === null || idx === undefined ? undefined : sorted[idx]
    if (entry !== undefined) open(entry.version)
  })
  return h('div', {}, holder, hover)
}

function describe(u: uPlot, sorted: readonly CommitSummary[], hover: HTMLElement): void {
  const idx = u.cursor.idx
  const e = idx === null || idx === undefined ? undefined : sorted[idx]
  if (e === undefined) return
  hover.textContent = `v${e.version} ${e.operation ?? ''} at ${e.timestamp}: rows +${e.rowsAdded ?? '?'} −${e.rowsRemoved ?? '?'}, files +${e.filesAdded ?? '?'} −${e.filesRemoved ?? '?'}, bytes written ${e.bytesWritten ?? '?'}`
}
