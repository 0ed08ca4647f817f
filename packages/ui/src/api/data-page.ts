// GET /api/data: one page of rows of a version, with column selection and a filter in lake's
// expression language. The scan stops as soon as the page is full, so only the files up to the
// page's end are read.

import type { DeltaTable } from '@lake/core'
import { formatType } from '@lake/core'
import { UiError } from '../errors.js'
import { valueText } from './value-text.js'

export interface DataRequest {
  readonly columns?: readonly string[]
  readonly filter?: string
  readonly offset: number
  readonly limit: number
  readonly signal?: AbortSignal
}

export interface DataPage {
  readonly version: number
  readonly columns: readonly { readonly name: string; readonly type: string }[]
  /** Each row's values in column order: exact text, null for SQL NULL. */
  readonly rows: readonly (readonly (string | null)[])[]
  readonly offset: number
  /** Whether rows follow this page. */
  readonly more: boolean
}

/**
 * Rows `offset .. offset + limit` of `table`.
 * @throws UiError `InvalidArgument` for a column the schema does not have; PredicateError for a bad filter.
 */
export async function dataPage(table: DeltaTable, request: DataRequest): Promise<DataPage> {
  const columns = selectedColumns(table, request.columns)
  const rows: (string | null)[][] = []
  let skip = request.offset
  let more = false
  const batches = table.scan({
    columns: columns.map((c) => c.name),
    ...(request.filter === undefined ? {} : { filter: request.filter }),
    ...(request.signal === undefined ? {} : { signal: request.signal }),
    batchRows: Math.min(8192, Math.max(64, request.offset + request.limit + 1)),
  })
  for await (const batch of batches) {
    const from = Math.min(skip, batch.length)
    skip -= from
    for (const row of batch.slice(from)) {
      if (rows.length === request.limit) {
        more = true
        break
      }
      rows.push(columns.map((c) => valueText(Object.hasOwn(row, c.name) ? row[c.name] : null)))
    }
    if (more) break
  }
  return { version: table.version, columns, rows, offset: request.offset, more }
}

function selectedColumns(table: DeltaTable, requested: readonly string[] | undefined): { name: string; type: string }[] {
  const fields = table.schema.fields
  if (requested === undefined || requested.length === 0) return fields.map((f) => ({ name: f.name, type: formatType(f.type) }))
  return requested.map((name) => {
    const field = fields.find((f) => f.name === name) ?? fields.find((f) => f.name.toLowerCase() === name.toLowerCase())
    if (field === undefined) {
      throw new UiError('InvalidArgument', `columns: expected columns of the table at version ${table.version} (${fields.map((f) => f.name).join(', ')}), found ${JSON.stringify(name)}`, {
        context: { parameter: 'columns', column: name, version: table.version },
      })
    }
    return { name: field.name, type: formatType(field.type) }
  })
}
