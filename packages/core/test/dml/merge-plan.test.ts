// MERGE's plan, clause by clause (operations/merge/plan*.ts), on a target given as a plain object:
// the rows each clause kind produces (SET, VALUES, updateAll, insertAll; case-insensitive names; own
// properties only), the whole text and context of every refusal, the clause shapes and Spark's
// parameters, the ON analysis (keys either way round, nested and computed target sides), schema
// evolution and the protocol it needs, the first clause that acts.

import type { Row, StructField, StructType } from '@lake/parquet'
import { describe, expect, it } from 'vitest'
import type { Metadata } from '../../src/actions/types.js'
import { firstClause, planMerge } from '../../src/operations/merge/plan.js'
import type { MergePlan, MergeSpec, MergeTarget } from '../../src/operations/merge/plan.js'
import { allowsMultipleMatches } from '../../src/operations/merge/plan-clauses.js'
import type { MergeClause } from '../../src/operations/merge/plan-clauses.js'
import type { TableConfig } from '../../src/protocol/table-config.js'

const NOW = { nowMs: 0 }
const long = (name: string, nullable = true): StructField => ({ name, type: { kind: 'primitive', name: 'long' }, nullable, metadata: {} })
const string = (name: string): StructField => ({ name, type: { kind: 'primitive', name: 'string' }, nullable: true, metadata: {} })
const struct = (...fields: StructField[]): StructType => ({ kind: 'struct', fields })
const TARGET_SCHEMA = struct(long('id', false), string('p'), long('v'))
const SOURCE = struct(long('id'), string('p'), long('v'))

function target(options: { schema?: StructType; dv?: boolean; partitionColumns?: string[] } = {}): MergeTarget {
  const schema = options.schema ?? TARGET_SCHEMA
  const metadata: Metadata = {
    id: 't', format: { provider: 'parquet', options: {} }, schemaString: JSON.stringify({ type: 'struct', fields: [] }),
    partitionColumns: options.partitionColumns ?? [], configuration: {},
  }
  return {
    schema, partitionColumns: options.partitionColumns ?? [], metadata, protocol: { minReaderVersion: 1, minWriterVersion: 2 },
    config: { enableDeletionVectors: options.dv === true } as TableConfig, columnMappingMode: 'none',
  }
}

const spec = (clauses: MergeClause[], over: Partial<MergeSpec> = {}): MergeSpec => ({ on: 't.id = s.id', sourceAlias: 's', targetAlias: 't', clauses, ...over })
const plan = (clauses: MergeClause[], over: Partial<MergeSpec> = {}, source = SOURCE, tgt = target()): MergePlan => planMerge(tgt, source, spec(clauses, over), NOW)
const thrown = (fn: () => unknown): unknown => {
  try {
    fn()
  } catch (err) {
    return err
  }
  throw new Error('expected a throw')
}

const T: Row = { id: 1n, p: 'tp', v: 10n }
const S: Row = { id: 1n, p: 'sp', v: 20n }
/** The row the only clause of `clauses` (in its group) writes for target `t` and source `s`. */
function produced(clauses: MergeClause[], rows: [Row | undefined, Row | undefined], over: Partial<MergeSpec> = {}, source = SOURCE): Row {
  const p = plan(clauses, over, source)
  const clause = [...p.matched, ...p.notMatched, ...p.notMatchedBySource][0]
  if (clause?.produce === undefined) throw new Error('expected a clause that writes a row')
  return clause.produce(rows)
}

describe('MERGE plan: the rows clauses write', () => {
  it('SET: assigned columns from their expressions (names case-insensitive), the others from the target row', () => {
    const row = produced([{ kind: 'matchedUpdate', set: { V: 's.v + 1' } }], [T, S])
    expect(row).toEqual({ id: 1n, p: 'tp', v: 21n })
    expect(Object.keys(row)).toEqual(['id', 'p', 'v'])
  })

  it('SET of NOT MATCHED BY SOURCE keeps the target row too', () => {
    expect(produced([{ kind: 'notMatchedBySourceUpdate', set: { p: "'gone'" } }], [T, undefined])).toEqual({ id: 1n, p: 'gone', v: 10n })
  })

  it('VALUES: only the listed columns, the others left out (NULL or generated when typed)', () => {
    const row = produced([{ kind: 'notMatchedInsert', values: { id: 's.id', v: 's.v * 2' } }], [undefined, S])
    expect(row).toEqual({ id: 1n, v: 40n })
    expect(Object.keys(row)).toEqual(['id', 'v'])
  })

  it('a target column read from a row without it, or only through its prototype, is NULL', () => {
    const inherited = Object.assign(Object.create({ p: 'from the prototype' }) as Row, { id: 1n, v: undefined })
    expect(produced([{ kind: 'matchedUpdate', set: { id: 's.id' } }], [inherited, S])).toEqual({ id: 1n, p: null, v: null })
  })

  it('updateAll: every column from the source column of the same name, case-insensitively', () => {
    const source = struct(long('ID'), string('P'), long('v'))
    const row = produced([{ kind: 'matchedUpdateAll' }], [T, { ID: 2n, P: 'sp', v: 3n }], {}, source)
    expect(row).toEqual({ id: 2n, p: 'sp', v: 3n })
    expect(Object.keys(row)).toEqual(['id', 'p', 'v'])
  })

  it('updateAll prefers the source column of the exact name over one differing in case', () => {
    const source = struct(long('ID'), long('id'), string('p'), long('v'))
    expect(produced([{ kind: 'matchedUpdateAll' }], [T, { ID: 7n, id: 8n, p: 'sp', v: 3n }], { on: 't.id = s.id' }, source)).toEqual({ id: 8n, p: 'sp', v: 3n })
  })

  it('with schemaMode merge, updateAll keeps the target value of a column the source lacks; insertAll leaves it out', () => {
    const source = struct(long('id'), long('v'))
    expect(produced([{ kind: 'matchedUpdateAll' }], [T, { id: 1n, v: 5n }], { schemaMode: 'merge' }, source)).toEqual({ id: 1n, p: 'tp', v: 5n })
    const inserted = produced([{ kind: 'notMatchedInsertAll' }], [undefined, { id: 1n, v: 5n }], { schemaMode: 'merge' }, source)
    expect(inserted).toEqual({ id: 1n, v: 5n })
    expect(Object.keys(inserted)).toEqual(['id', 'v'])
  })

  it('deletes write no row', () => {
    const p = plan([{ kind: 'matchedDelete' }, { kind: 'notMatchedBySourceDelete' }])
    expect([...p.matched, ...p.notMatchedBySource].map((c) => c.produce)).toEqual([undefined, undefined])
  })
})

describe('MERGE plan: refusals, with their whole message and context', () => {
  it.each<[string, MergeClause[], string, Record<string, unknown>]>([
    ['no clause', [], 'MERGE needs at least one WHEN clause, found none', { clauses: 0 }],
    [
      'an unconditional WHEN MATCHED before another',
      [{ kind: 'matchedDelete' }, { kind: 'matchedUpdateAll', condition: 's.v > 1' }],
      'WHEN MATCHED clause 1 follows clause 0, which has no condition: expected an unconditional WHEN MATCHED clause to be the last of its kind, found one before another',
      { clause: 1, unconditional: 0 },
    ],
    [
      'an unconditional WHEN NOT MATCHED before another',
      [{ kind: 'matchedDelete', condition: 's.v > 1' }, { kind: 'notMatchedInsertAll' }, { kind: 'notMatchedInsertAll', condition: 's.v > 1' }],
      'WHEN NOT MATCHED clause 2 follows clause 1, which has no condition: expected an unconditional WHEN NOT MATCHED clause to be the last of its kind, found one before another',
      { clause: 2, unconditional: 1 },
    ],
    [
      'an unconditional WHEN NOT MATCHED BY SOURCE before another',
      [{ kind: 'notMatchedBySourceDelete' }, { kind: 'notMatchedBySourceUpdate', set: { v: '0' } }],
      'WHEN NOT MATCHED BY SOURCE clause 1 follows clause 0, which has no condition: expected an unconditional WHEN NOT MATCHED BY SOURCE clause to be the last of its kind, found one before another',
      { clause: 1, unconditional: 0 },
    ],
    [
      'an unknown column in SET',
      [{ kind: 'matchedUpdate', set: { nope: '1' } }],
      "clause 0 assigns column 'nope': expected one of the target's columns (id, p, v), found no such column",
      { clause: 0, column: 'nope' },
    ],
    [
      'a column assigned twice (names differing in case)',
      [{ kind: 'matchedUpdate', condition: 's.v > 0', set: { id: 's.id' } }, { kind: 'matchedUpdate', set: { v: '1', V: '2' } }],
      "clause 1 assigns column 'v' twice: expected each column once",
      { clause: 1, column: 'v' },
    ],
    [
      'updateAll without a target column in the source',
      [{ kind: 'matchedUpdateAll' }],
      "clause 0 (updateAll) needs source column 'p': expected every target column in the source, found none named so (use schemaMode 'merge' to keep missing columns)",
      { clause: 0, column: 'p' },
    ],
    [
      'insertAll without a target column in the source',
      [{ kind: 'matchedDelete' }, { kind: 'notMatchedInsertAll' }],
      "clause 1 (insertAll) needs source column 'p': expected every target column in the source, found none named so (use schemaMode 'merge' to keep missing columns)",
      { clause: 1, column: 'p' },
    ],
  ])('%s', (_name, clauses, message, context) => {
    const err = thrown(() => plan(clauses, {}, clauses.some((c) => c.kind.endsWith('All')) ? struct(long('id'), long('v')) : SOURCE))
    expect(err).toMatchObject({ name: 'MergeError', code: 'InvalidArgument', message, context })
  })

  it.each([
    ['the same alias in another case', 'T', 't'],
    ['an empty source alias', '', 't'],
    ['an empty target alias', 's', ''],
  ])('refuses %s', (_name, sourceAlias, targetAlias) => {
    expect(thrown(() => plan([{ kind: 'matchedDelete' }], { sourceAlias, targetAlias, on: 'true' }))).toMatchObject({
      name: 'MergeError',
      code: 'InvalidArgument',
      message: `MERGE aliases: expected two different non-empty names, found target '${targetAlias}' and source '${sourceAlias}'`,
      context: { targetAlias, sourceAlias },
    })
  })

  it('binds aliases as given: other aliases than target and source', () => {
    expect(plan([{ kind: 'matchedDelete' }], { sourceAlias: 'src', targetAlias: 'dst', on: 'dst.id = src.id' }).join.keys).toHaveLength(1)
  })
})

describe('MERGE plan: clauses, parameters and the first clause that acts', () => {
  it('gives every clause kind its group and action, in the given order and index', () => {
    const p = plan([
      { kind: 'matchedUpdate', set: { v: '1' }, condition: 's.v = 1' },
      { kind: 'matchedDelete', condition: 's.v = 2' },
      { kind: 'matchedUpdateAll' },
      { kind: 'notMatchedInsert', values: { id: 's.id' }, condition: 's.v = 3' },
      { kind: 'notMatchedInsertAll' },
      { kind: 'notMatchedBySourceUpdate', set: { v: '0' }, condition: 't.v = 4' },
      { kind: 'notMatchedBySourceDelete' },
    ])
    const shape = (list: MergePlan['matched']) => list.map((c) => [c.index, c.group, c.action])
    expect(shape(p.matched)).toEqual([[0, 'matched', 'update'], [1, 'matched', 'delete'], [2, 'matched', 'update']])
    expect(shape(p.notMatched)).toEqual([[3, 'notMatched', 'insert'], [4, 'notMatched', 'insert']])
    expect(shape(p.notMatchedBySource)).toEqual([[5, 'notMatchedBySource', 'update'], [6, 'notMatchedBySource', 'delete']])
    expect(p.parameters).toEqual({
      predicate: ['t.id = s.id'],
      matchedPredicates: [{ predicate: 's.v = 1', actionType: 'update' }, { predicate: 's.v = 2', actionType: 'delete' }, { actionType: 'update' }],
      notMatchedPredicates: [{ predicate: 's.v = 3', actionType: 'insert' }, { actionType: 'insert' }],
      notMatchedBySourcePredicates: [{ predicate: 't.v = 4', actionType: 'update' }, { actionType: 'delete' }],
    })
    expect({ insertOnly: p.insertOnly, multipleMatchesAllowed: p.multipleMatchesAllowed, mode: p.mode }).toEqual({ insertOnly: false, multipleMatchesAllowed: false, mode: 'copyOnWrite' })
  })

  it.each<[string, MergeClause[], boolean]>([
    ['allowed: an unconditional matched delete alone', [{ kind: 'matchedDelete' }, { kind: 'notMatchedInsertAll' }], true],
    ['allowed: no matched clause', [{ kind: 'notMatchedBySourceDelete' }], true],
    ['refused: a conditional matched delete', [{ kind: 'matchedDelete', condition: 's.v > 1' }], false],
    ['refused: an unconditional matched update', [{ kind: 'matchedUpdateAll' }], false],
    ['refused: two matched deletes', [{ kind: 'matchedDelete', condition: 's.v > 1' }, { kind: 'matchedDelete' }], false],
  ])('several source rows per target row, %s', (_name, clauses, allowed) => {
    expect(plan(clauses).multipleMatchesAllowed).toBe(allowed)
  })

  it('several source rows per target row: refused when an unconditional matched delete is not the only matched clause', () => {
    expect(allowsMultipleMatches([{ kind: 'matchedDelete' }, { kind: 'matchedUpdateAll' }])).toBe(false)
  })

  it.each<[string, MergeClause[], boolean]>([
    ['yes with inserts only', [{ kind: 'notMatchedInsertAll', condition: 's.v > 1' }, { kind: 'notMatchedInsert', values: { id: 's.id' } }], true],
    ['no with a matched delete', [{ kind: 'notMatchedInsertAll' }, { kind: 'matchedDelete' }], false],
    ['no with a by-source delete', [{ kind: 'notMatchedInsertAll' }, { kind: 'notMatchedBySourceDelete' }], false],
  ])('insert-only: %s', (_name, clauses, insertOnly) => {
    expect(plan(clauses).insertOnly).toBe(insertOnly)
  })

  it('deletion vectors on: mode deletionVectors', () => {
    expect(plan([{ kind: 'matchedDelete' }], {}, SOURCE, target({ dv: true })).mode).toBe('deletionVectors')
  })

  it('firstClause: the first whose condition is TRUE (NULL is not), an unconditional one always acts', () => {
    const p = plan([
      { kind: 'matchedDelete', condition: 's.v > t.v' },
      { kind: 'matchedUpdate', set: { v: '0' }, condition: 's.v = 20' },
      { kind: 'matchedUpdateAll' },
    ])
    expect(firstClause(p.matched, [T, S])?.index).toBe(0)
    expect(firstClause(p.matched, [T, { ...S, v: null }])?.index).toBe(2)
    expect(firstClause(p.matched, [{ ...T, v: 30n }, S])?.index).toBe(1)
    expect(firstClause(p.matched.slice(0, 2), [{ ...T, v: 30n }, { ...S, v: 5n }])).toBeUndefined()
  })
})

describe('MERGE plan: the ON clause', () => {
  const join = (on: string, tgt = target()) => plan([{ kind: 'matchedDelete' }], { on }, SOURCE, tgt).join
  const sides = (on: string, tgt?: MergeTarget) => join(on, tgt).keys.map((k) => [k.target.sql, k.source.sql, k.targetColumn])

  it('takes `source = target` equalities with the target side first', () => {
    expect(sides('s.id = t.id AND s.p = t.p')).toEqual([['t.id', 's.id', 'id'], ['t.p', 's.p', 'p']])
  })

  it('a computed or nested target side is a key without a target column', () => {
    const nested = target({ schema: struct(long('id', false), { name: 'n', type: struct(long('k')), nullable: true, metadata: {} }) })
    expect(sides('t.id + 1 = s.id')).toEqual([['t.id + 1', 's.id', undefined]])
    expect(sides('t.n.k = s.id', nested)).toEqual([['t.n.k', 's.id', undefined]])
    expect(join('t.n.k = s.id', nested).targetColumns).toEqual(['n'])
  })

  it.each([
    ['another comparison', 't.id < s.id', [0, 0, 1]],
    ['an equality within one relation', 't.id = t.v AND s.id = s.v', [1, 1, 0]],
    ['an equality of a mixed side', 't.id + s.v = s.id', [0, 0, 1]],
    ['a constant equality', '1 = 1', [0, 0, 1]],
  ])('%s is no key: target-only, source-only and residual conjuncts %s', (_name, on, counts) => {
    const j = join(on)
    expect(j.keys).toEqual([])
    expect([j.targetOnly.length, j.sourceOnly.length, j.residual.length]).toEqual(counts)
  })

  it('each conjunct is evaluated on the rows: target-only on the target, source-only on the source', () => {
    const j = join("t.id = s.id AND t.p = 'tp' AND s.v > 5")
    expect(j.targetOnly.map((c) => [c.sql, c.evaluate([T, undefined])])).toEqual([["t.p = 'tp'", true]])
    expect(j.sourceOnly.map((c) => [c.sql, c.evaluate([undefined, S])])).toEqual([['s.v > 5', true]])
    expect(j.keys.map((k) => [k.target.evaluate([T, undefined]), k.source.evaluate([undefined, S])])).toEqual([[1n, 1n]])
  })
})

describe('MERGE plan: schema evolution', () => {
  const withExtra = struct(long('id'), string('p'), long('v'), string('extra'))

  it('schemaMode merge with a star clause adds the new columns: metadata to commit, protocol unchanged when it suffices', () => {
    const p = plan([{ kind: 'matchedUpdateAll' }], { schemaMode: 'merge' }, withExtra)
    expect(p.schema.fields.map((f) => f.name)).toEqual(['id', 'p', 'v', 'extra'])
    expect(JSON.parse(p.metadata?.schemaString ?? '{}')).toMatchObject({ fields: [{ name: 'id' }, { name: 'p' }, { name: 'v' }, { name: 'extra' }] })
    expect(p.metadata?.id).toBe('t')
    expect(p.protocol).toBeUndefined()
  })

  it('raises the protocol when a new column needs a feature', () => {
    const ntz = struct(long('id'), string('p'), long('v'), { name: 'at', type: { kind: 'primitive', name: 'timestamp_ntz' }, nullable: true, metadata: {} })
    const p = plan([{ kind: 'notMatchedInsertAll' }], { schemaMode: 'merge' }, ntz)
    expect(p.protocol).toMatchObject({ minReaderVersion: 3, minWriterVersion: 7, writerFeatures: expect.arrayContaining(['timestampNtz']) })
  })

  it.each<[string, MergeClause[], Partial<MergeSpec>, StructType]>([
    ['without schemaMode merge', [{ kind: 'matchedUpdateAll' }], {}, withExtra],
    ['without a star clause', [{ kind: 'matchedUpdate', set: { v: 's.v' } }, { kind: 'notMatchedInsert', values: { id: 's.id' } }], { schemaMode: 'merge' }, withExtra],
    ['when the source has no new column', [{ kind: 'notMatchedInsertAll' }], { schemaMode: 'merge' }, SOURCE],
  ])('keeps the schema %s', (_name, clauses, over, source) => {
    const p = plan(clauses, over, source)
    expect(p.schema).toBe(TARGET_SCHEMA)
    expect([p.metadata, p.protocol]).toEqual([undefined, undefined])
  })

  it('checks the evolved schema against the partition columns', () => {
    const bad = struct(long('id'), string('p'), long('v'), { name: 'x', type: struct(long('a')), nullable: true, metadata: {} })
    const p = plan([{ kind: 'notMatchedInsertAll' }], { schemaMode: 'merge' }, bad, target({ partitionColumns: ['p'] }))
    expect(p.schema.fields.map((f) => f.name)).toEqual(['id', 'p', 'v', 'x'])
    const invalid = struct(long('id'), string('p'), long('v'), string('a,b'))
    expect(thrown(() => plan([{ kind: 'notMatchedInsertAll' }], { schemaMode: 'merge' }, invalid, target({ partitionColumns: ['p'] })))).toMatchObject({ name: 'SchemaError' })
  })
})

describe('MERGE plan: the target columns each clause reads', () => {
  const reads = (p: MergePlan) => [...p.matched, ...p.notMatched, ...p.notMatchedBySource].map((c) => [c.index, c.reads.condition, c.reads.produce])

  it('SET reads the target columns of its expressions and condition, and the unassigned columns it keeps', () => {
    const p = plan([
      { kind: 'matchedUpdate', condition: 't.v > 0', set: { v: 't.v + s.v' } },
      { kind: 'matchedUpdate', set: { v: 's.v + 1' } },
      { kind: 'notMatchedBySourceUpdate', set: { p: "'gone'" } },
    ])
    expect(reads(p)).toEqual([[0, ['v'], ['v', 'id', 'p']], [1, [], ['id', 'p']], [2, [], ['id', 'v']]])
  })

  it('VALUES and deletes read no target column', () => {
    const p = plan([{ kind: 'matchedDelete' }, { kind: 'notMatchedInsert', values: { id: 's.id', v: 's.v' } }])
    expect(reads(p)).toEqual([[0, [], []], [1, [], []]])
  })

  it('updateAll reads the target columns the source lacks (schemaMode merge), insertAll none', () => {
    const p = plan([{ kind: 'matchedUpdateAll' }, { kind: 'notMatchedInsertAll' }], { schemaMode: 'merge' }, struct(long('id'), long('v')))
    expect(reads(p)).toEqual([[0, [], ['p']], [1, [], []]])
    expect(reads(plan([{ kind: 'matchedUpdateAll' }]))).toEqual([[0, [], []]])
  })

  it('SET keeps no column the evolved schema adds: the target has none to read', () => {
    const source = struct(long('id'), string('p'), long('v'), string('extra'))
    const p = plan([{ kind: 'matchedUpdate', set: { v: 's.v' } }, { kind: 'notMatchedInsertAll' }], { schemaMode: 'merge' }, source)
    expect(p.schema.fields.map((f) => f.name)).toEqual(['id', 'p', 'v', 'extra'])
    expect(reads(p)).toEqual([[0, [], ['id', 'p']], [1, [], []]])
    expect(p.matched[0]?.produce?.([T, { ...S, extra: 'x' }])).toEqual({ id: 1n, p: 'tp', v: 20n, extra: null })
  })
})

describe('MERGE plan: what each clause group sees', () => {
  it.each<[string, MergeClause[], string, string]>([
    ['WHEN NOT MATCHED values', [{ kind: 'notMatchedInsert', values: { id: 't.id' } }], 't.id', 't.id'],
    ['a WHEN NOT MATCHED condition', [{ kind: 'notMatchedInsertAll', condition: 't.v > 0' }], 't.v', 't.v > 0'],
    ['WHEN NOT MATCHED BY SOURCE assignments', [{ kind: 'notMatchedBySourceUpdate', set: { v: 's.v' } }], 's.v', 's.v'],
    ['a WHEN NOT MATCHED BY SOURCE condition', [{ kind: 'notMatchedBySourceDelete', condition: 's.v > 0' }], 's.v', 's.v > 0'],
  ])('%s cannot read the other relation', (_name, clauses, column, expression) => {
    const err = thrown(() => plan(clauses))
    expect(err).toMatchObject({ name: 'PredicateError', code: 'InvalidPredicate', context: { column, expression } })
    expect((err as Error).message).toContain(`invalid expression '${expression}': unknown column '${column}'`)
  })

  it('a star clause mixed with others still evolves the schema', () => {
    const source = struct(long('id'), string('p'), long('v'), string('extra'))
    const p = plan([{ kind: 'matchedUpdate', set: { v: 's.v' } }, { kind: 'notMatchedInsertAll' }], { schemaMode: 'merge' }, source)
    expect(p.schema.fields.map((f) => f.name)).toEqual(['id', 'p', 'v', 'extra'])
    expect(p.notMatched[0]?.produce?.([undefined, { ...S, extra: 'x' }])).toEqual({ id: 1n, p: 'sp', v: 20n, extra: 'x' })
  })
})
