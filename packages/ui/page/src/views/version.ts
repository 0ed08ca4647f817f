// One version: its commitInfo (operation, parameters, metrics, engine, isBlindAppend, then the
// whole of it), the files it added and removed, and its schema, protocol and property changes.

import { api } from '../api.js'
import { fields, h, replace, section, table } from '../dom.js'
import { bytes, count, pretty } from '../format.js'
import type { FileList, ProtocolState, VersionDetail } from '../types.js'

export async function renderVersion(view: HTMLElement, version: number): Promise<void> {
  const d = await api<VersionDetail>(`versions/${Number.isSafeInteger(version) ? version : 0}`)
  const info = d.commitInfo ?? {}
  const nav = h('p', {}, d.version > 0 ? h('a', { href: `#/version/${d.version - 1}` }, `← v${d.version - 1}`) : null, ' ', h('a', { href: `#/version/${d.version + 1}` }, `v${d.version + 1} →`), ' ', h('a', { href: '#/history' }, 'all versions'))
  replace(
    view,
    h('h2', { 'data-testid': 'version-title' }, `v${d.version}`),
    nav,
    section(
      'Commit',
      fields('commit', [
        ['Operation', text(info['operation'])],
        ['Parameters', h('pre', {}, pretty(info['operationParameters'] ?? null))],
        ['Metrics', h('pre', {}, pretty(info['operationMetrics'] ?? null))],
        ['Engine', text(info['engineInfo'])],
        ['Blind append', text(info['isBlindAppend'])],
      ]),
      h('details', {}, h('summary', {}, 'Whole commitInfo'), h('pre', { 'data-testid': 'commit-info' }, pretty(d.commitInfo))),
    ),
    section('Schema change', schemaChange(d)),
    section('Protocol change', protocolChange(d)),
    section('Property changes', d.propertyChanges.length === 0 ? h('p', {}, 'none') : table('property-changes', ['Property', 'Before', 'After'], d.propertyChanges.map((c) => [c.key, c.before, c.after]))),
    section('Files added', fileList('files-added', d.added)),
    section('Files removed', fileList('files-removed', d.removed)),
  )
}

function text(value: unknown): string | null {
  return value === undefined || value === null ? null : typeof value === 'string' ? value : JSON.stringify(value)
}

function schemaChange(d: VersionDetail): HTMLElement {
  const c = d.schemaChange
  if (c === null) return h('p', { 'data-testid': 'schema-change' }, 'none')
  const rows = [
    ...c.added.map((col) => ['added', col.path, null, `${col.type}${col.nullable ? '' : ' not null'}`]),
    ...c.removed.map((col) => ['removed', col.path, `${col.type}${col.nullable ? '' : ' not null'}`, null]),
    ...c.changed.map(({ before, after }) => ['changed', after.path, `${before.type}${before.nullable ? '' : ' not null'}`, `${after.type}${after.nullable ? '' : ' not null'}`]),
  ]
  return table('schema-change', ['Change', 'Column', 'Before', 'After'], rows)
}

function protocolText(p: ProtocolState | null): string | null {
  if (p === null) return null
  const features = [...p.readerFeatures.map((f) => `reader:${f}`), ...p.writerFeatures.map((f) => `writer:${f}`)]
  return `reader v${p.minReaderVersion}, writer v${p.minWriterVersion}${features.length > 0 ? `; ${features.join(', ')}` : ''}`
}

function protocolChange(d: VersionDetail): HTMLElement {
  const c = d.protocolChange
  if (c === null) return h('p', { 'data-testid': 'protocol-change' }, 'none')
  return fields('protocol-change', [['Before', protocolText(c.before)], ['After', protocolText(c.after)]])
}

function fileList(testId: string, list: FileList): HTMLElement {
  const total = h('p', {}, `${count(list.count)} files, ${bytes(list.bytes)}${list.files.length < list.count ? ` (first ${list.files.length} listed)` : ''}`)
  if (list.count === 0) return h('div', {}, total)
  const rows = list.files.map((f) => [f.path, f.size === null ? null : count(f.size), f.partitionValues.map(([k, v]) => `${k}=${v ?? 'NULL'}`).join(', '), count(f.numRecords), f.deletedRows === null ? null : count(f.deletedRows), f.dataChange ? 'yes' : 'no'])
  return h('div', {}, total, table(testId, ['Path', 'Bytes', 'Partition', 'Rows', 'Deleted rows (DV)', 'Data change'], rows))
}
