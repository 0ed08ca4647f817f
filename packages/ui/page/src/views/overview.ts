// Overview: what the table is (name, id, location), its size now, protocol and features,
// partition columns, properties and columns.

import { api } from '../api.js'
import { fields, h, replace, section, table } from '../dom.js'
import { bytes, count } from '../format.js'
import type { Overview } from '../types.js'

export async function renderOverview(view: HTMLElement): Promise<void> {
  const o = await api<Overview>('overview')
  const title = document.getElementById('title')
  if (title !== null) title.textContent = `lake ui — ${o.name ?? o.uri}`
  const p = o.protocol
  replace(
    view,
    section(
      'Table',
      fields('overview', [
        ['Name', o.name],
        ['Description', o.description],
        ['Location', o.location],
        ['Table id', o.id],
        ['Version', `v${o.version}${o.latestVersion > o.version ? ` (latest v${o.latestVersion})` : ''}`],
        ['Created', o.createdAt],
        ['Last modified', o.lastModified],
        ['Partition columns', o.partitionColumns.length === 0 ? 'none' : o.partitionColumns.join(', ')],
        ['Files', count(o.numFiles)],
        ['Size', `${bytes(o.sizeInBytes)} (${count(o.sizeInBytes)} bytes)`],
        ['Records', count(o.numRecords)],
        ['Protocol', `reader v${p.minReaderVersion}, writer v${p.minWriterVersion}`],
        ['Reader features', p.readerFeatures.join(', ') || 'none'],
        ['Writer features', p.writerFeatures.join(', ') || 'none'],
      ]),
    ),
    section('Properties', o.properties.length === 0 ? h('p', {}, 'none') : table('properties', ['Property', 'Value'], o.properties.map(([k, v]) => [k, v]))),
    section('Columns', table('columns', ['Column', 'Type', 'Nullable'], o.columns.map((c) => [c.path, c.type, c.nullable ? 'yes' : 'no']))),
  )
}
