// Expression evaluation: compiled closures (expr/compile.ts) per row, against a tree interpreter
// (expr/evaluate.ts, the reference for predicates) and against plain JS doing the same work by hand.
// 1,000,000 evaluations each of a CASE with a function, a decimal arithmetic expression and a MERGE-style
// two-relation condition. Prints ms per million and the ratios; checks the results agree.
// Run: npm run build && node bench/expr.bench.mjs   (LAKE_BENCH_ROWS to change the count)
import { bindPredicate, compileCondition, compileExpression, evaluatePredicate } from '@lake/core/internal'

const N = Number(process.env.LAKE_BENCH_ROWS ?? 1_000_000)
const RUNS = 5 // the median is reported
const f = (name, type) => ({ name, type, nullable: true, metadata: {} })
const p = (name) => ({ kind: 'primitive', name })
const SCHEMA = { kind: 'struct', fields: [f('id', p('long')), f('v', p('integer')), f('s', p('string')), f('d', { kind: 'decimal', precision: 10, scale: 2 })] }
const SCOPE = { relations: [{ alias: null, schema: SCHEMA }] }
const MERGE = { relations: [{ alias: 'target', schema: SCHEMA }, { alias: 'source', schema: SCHEMA }] }
const CONTEXT = { nowMs: Date.UTC(2024, 0, 1) }
const ROWS = Array.from({ length: 1000 }, (_x, i) => ({ id: BigInt(i), v: i % 21, s: i % 7 === 0 ? null : `name-${i}`, d: `${i}.${String(i % 100).padStart(2, '0')}` }))

function time(fn) {
  const times = []
  let out
  for (let r = 0; r < RUNS; r++) {
    const start = process.hrtime.bigint()
    out = fn()
    times.push(Number(process.hrtime.bigint() - start) / 1e6)
  }
  times.sort((a, b) => a - b)
  return { ms: times[Math.floor(RUNS / 2)], out }
}

function loop(evaluate) {
  let acc = 0
  for (let i = 0; i < N; i++) {
    const v = evaluate(ROWS[i % 1000])
    if (v !== null && v !== false) acc++
  }
  return acc
}

const caseExpr = compileExpression('CASE WHEN v > 10 THEN upper(s) ELSE s END', SCOPE, CONTEXT)
const decimal = compileExpression('d * 2 + 1.5', SCOPE, CONTEXT)
const condition = compileCondition('target.id = source.id AND source.v > target.v - 5', MERGE, CONTEXT)
const predicateText = "v > 10 AND s IS NOT NULL AND upper(s) LIKE 'NAME-1%'"
const predicate = bindPredicate(predicateText, SCHEMA)
const compiledPredicate = compileCondition(predicateText, SCOPE, CONTEXT)

const cases = [
  ['CASE WHEN v > 10 THEN upper(s) ELSE s END (compiled)', () => loop((row) => caseExpr.evaluate([row]))],
  ['  same, hand-written JS', () => loop((row) => (row.v > 10 ? (row.s === null ? null : row.s.toUpperCase()) : row.s))],
  ['d * 2 + 1.5 on decimal(10,2) (compiled, exact)', () => loop((row) => decimal.evaluate([row]))],
  ['target.id = source.id AND source.v > target.v - 5 (compiled)', () => loop((row) => condition.evaluate([row, row]))],
  [`${predicateText} (compiled)`, () => loop((row) => compiledPredicate.evaluate([row]))],
  ['  same, tree interpreter (evaluatePredicate)', () => loop((row) => evaluatePredicate(predicate, row))],
]

console.log(`${N.toLocaleString('en-US')} evaluations per case, median of ${RUNS} runs`)
const results = []
for (const [name, fn] of cases) {
  const { ms, out } = time(fn)
  results.push({ name, ms, out })
  console.log(`${name.padEnd(100)} ${ms.toFixed(0).padStart(6)} ms  (${((N / ms) * 1000 / 1e6).toFixed(1)} M/s)  [${out} non-null/true]`)
}
if (results[0].out !== results[1].out || results[4].out !== results[5].out) {
  console.error('compiled and reference results differ')
  process.exit(1)
}
console.log(`compiled CASE / hand-written JS: ${(results[0].ms / results[1].ms).toFixed(2)}x; interpreter / compiled predicate: ${(results[5].ms / results[4].ms).toFixed(2)}x`)
