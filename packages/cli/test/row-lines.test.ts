import { SchemaError } from '@lake/core'
import { describe, expect, it } from 'vitest'
import { RowLines } from '../src/ingest/row-lines.js'

describe('RowLines', () => {
  it('maps row indexes to positions across blank lines and gaps', () => {
    const lines = new RowLines('line')
    // rows 0..2 on lines 1..3, a blank line 4, rows 3..4 on lines 5..6, two blank lines, row 5 on line 9
    ;[1, 2, 3, 5, 6, 9].forEach((line, row) => lines.note(row, line))
    expect([0, 1, 2, 3, 4, 5].map((row) => lines.positionOf(row))).toEqual([1, 2, 3, 5, 6, 9])
    expect(lines.positionOf(-1)).toBeUndefined()
  })

  it('says "on line L" for a SchemaError in row N and keeps code and context', () => {
    const lines = new RowLines('line')
    ;[1, 3].forEach((line, row) => lines.note(row, line))
    const err = new SchemaError('SchemaMismatch', "column 'id' expects long, found string \"x\" in row 1", { context: { column: 'id', row: 1 } })
    const relabeled = lines.relabel(err)
    expect(relabeled).toBeInstanceOf(SchemaError)
    expect((relabeled as SchemaError).message).toBe("column 'id' expects long, found string \"x\" on line 3")
    expect((relabeled as SchemaError).code).toBe('SchemaMismatch')
    expect((relabeled as SchemaError).context).toMatchObject({ column: 'id', row: 1, line: 3 })
  })

  it('says "in record R" for CSV and leaves other errors alone', () => {
    const lines = new RowLines('record')
    lines.note(0, 7)
    const err = new SchemaError('SchemaMismatch', 'bad in row 0: more', { context: { row: 0 } })
    expect((lines.relabel(err) as SchemaError).message).toBe('bad in record 7: more')
    const other = new Error('in row 0')
    expect(lines.relabel(other)).toBe(other)
    const noRow = new SchemaError('SchemaMismatch', 'in row 0', { context: {} })
    expect(lines.relabel(noRow)).toBe(noRow)
    // rows after the last noted one keep its offset
    expect((lines.relabel(new SchemaError('SchemaMismatch', 'x in row 10', { context: { row: 10 } })) as SchemaError).message).toBe('x in record 17')
  })
})
