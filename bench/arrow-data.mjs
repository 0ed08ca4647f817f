// The 9-column rows of the Arrow benchmarks (bench/arrow.bench.mjs, bench/page-crc.bench.mjs): long, int,
// double, string, boolean, timestamp, date, decimal(18,2) and a nullable string; DuckDB's DUCK_SQL in
// arrow.bench.mjs generates the same values.

const f = (name, type, nullable = true) => ({ name, type, nullable, metadata: {} })
const p = (name) => ({ kind: 'primitive', name })

export const SCHEMA = {
  kind: 'struct',
  fields: [
    f('id', p('long'), false), f('n', p('integer')), f('x', p('double')), f('s', p('string')), f('flag', p('boolean')),
    f('ts', p('timestamp')), f('dt', p('date')), f('amount', { kind: 'decimal', precision: 18, scale: 2 }), f('note', p('string')),
  ],
}

/** Seconds since the epoch of row 0's timestamp. */
export const BASE = 1_700_000_000

/** `count` rows in lake's Value model. */
export function makeRows(count) {
  const rows = new Array(count)
  const day0 = Date.UTC(2024, 0, 1)
  for (let i = 0; i < count; i++) {
    const k = i % 100_000
    rows[i] = {
      id: BigInt(i), n: (i * 7) % 100_000, x: i * 0.5, s: `name-${i % 5000}`, flag: i % 3 === 0,
      ts: new Date((BASE + i) * 1000).toISOString().replace('Z', '000Z'), dt: new Date(day0 + (i % 365) * 86_400_000).toISOString().slice(0, 10),
      amount: `${Math.floor(k / 100)}.${String(k % 100).padStart(2, '0')}`, note: i % 10 === 0 ? null : `note ${i}`,
    }
  }
  return rows
}
