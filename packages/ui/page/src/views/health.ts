// Health: the file-size histogram against the target size, the largest partitions, commits since
// the last checkpoint, deletion vectors, what vacuum would delete, and the findings with the
// `lake` command that fixes each.

import uPlot from 'uplot'
import { api } from '../api.js'
import { fields, h, replace, section, table } from '../dom.js'
import { bytes, count } from '../format.js'
import type { Health } from '../types.js'

export async function renderHealth(view: HTMLElement): Promise<void> {
  const r = await api<Health>('health')
  const dv = r.deletionVectors
  const vacuum = 'error' in r.vacuum ? `not computed: ${r.vacuum.error}` : `${count(r.vacuum.files)} files, ${bytes(r.vacuum.bytes)} (retention ${r.vacuum.retentionHours} h)`
  replace(
    view,
    section('Findings', findingList(r)),
    section(`File sizes at v${r.version} (target ${bytes(r.targetBytes)})`, histogram(r, Math.max(320, view.clientWidth - 40))),
    section(
      'Log and storage',
      fields('health', [
        ['Last checkpoint', r.checkpoint.version === null ? 'none' : `v${r.checkpoint.version}`],
        ['Commits since checkpoint', `${count(r.checkpoint.commitsSince)} (checkpoint interval ${r.checkpoint.interval})`],
        ['Deletion vectors', dv.files === 0 ? 'none' : `${count(dv.files)} files, ${count(dv.deletedRows)} deleted rows of ${count(dv.rows)}`],
        ['Vacuum would delete', vacuum],
        ['Small files optimize compacts', `${count(r.compactable.files)} files, ${bytes(r.compactable.bytes)}`],
      ]),
    ),
    section(
      `Partitions (${count(r.partitions.count)}, median ${bytes(r.partitions.medianBytes)})`,
      table('partitions', ['Partition', 'Files', 'Bytes'], r.partitions.largest.map((p) => [p.values.map(([k, v]) => `${k}=${v ?? 'NULL'}`).join(', ') || '(unpartitioned)', count(p.files), bytes(p.bytes)])),
    ),
  )
}

function findingList(r: Health): HTMLElement {
  if (r.findings.length === 0) return h('p', { 'data-testid': 'findings' }, 'Nothing to fix.')
  return h('ul', { 'data-testid': 'findings' }, ...r.findings.map((f) => h('li', { 'data-kind': f.kind }, f.message, f.command === null ? null : h('div', {}, 'Fix: ', h('code', {}, f.command)))))
}

function histogram(r: Health, width: number): HTMLElement {
  const holder = h('div', { 'data-testid': 'histogram' })
  const label = (b: Health['histogram'][number]): string => `${bytes(b.min)} – ${b.max === null ? '∞' : bytes(b.max)}`
  const xs = r.histogram.map((_, i) => i)
  const bars = uPlot.paths.bars?.({ size: [0.8, 60] })
  const opts: uPlot.Options = {
    width,
    height: 220,
    scales: { x: { time: false, range: [-0.5, Math.max(0.5, xs.length - 0.5)] } },
    axes: [{ values: (_u, splits) => splits.map((s) => { const b = r.histogram[s]; return Number.isInteger(s) && b !== undefined ? label(b) : '' }), size: 40 }, { label: 'files' }],
    series: [
      { label: 'size', value: (_u, v) => { const b = v === null ? undefined : r.histogram[v]; return b === undefined ? '' : label(b) } },
      { label: 'files below target', fill: '#f97316', stroke: '#ea580c', ...(bars === undefined ? {} : { paths: bars }) },
      { label: 'files at or above target', fill: '#22c55e', stroke: '#16a34a', ...(bars === undefined ? {} : { paths: bars }) },
    ],
  }
  const small = r.histogram.map((b) => (b.min < r.targetBytes ? b.files : null))
  const big = r.histogram.map((b) => (b.min >= r.targetBytes ? b.files : null))
  new uPlot(opts, [xs, small, big], holder)
  const rows = r.histogram.map((b) => [label(b), count(b.files), bytes(b.bytes)])
  return h('div', {}, holder, table('histogram-table', ['Size', 'Files', 'Bytes'], rows))
}
