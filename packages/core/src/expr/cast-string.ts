// Casts to string, formatted as Spark does: doubles `1.0`, `1.0E20`; timestamps `2024-01-01 10:00:00`
// (UTC, trailing zero fraction dropped); binary as its UTF-8 text.

import type { DataType, Value } from '@lake/parquet'
import { typeName } from './coerce.js'

const UTF8 = new TextDecoder()

/** Spark's text of a double/float: `1.0`, `0.001`, `1.0E-4`, `1.0E7`, `NaN`, `Infinity`. */
export function formatFloating(n: number): string {
  if (!Number.isFinite(n)) return Number.isNaN(n) ? 'NaN' : n > 0 ? 'Infinity' : '-Infinity'
  const abs = Math.abs(n)
  if (abs === 0 || (abs >= 1e-3 && abs < 1e7)) return Number.isInteger(n) ? `${n.toFixed(1)}` : String(n)
  const [mantissa = '', exponent = ''] = n.toExponential().split('e')
  return `${mantissa.includes('.') ? mantissa : `${mantissa}.0`}E${exponent.replace('+', '')}`
}

function formatTimestampText(v: string): string {
  return v.replace('T', ' ').replace(/Z$/, '').replace(/\.(\d*?)0*$/, (_m, d: string) => (d === '' ? '' : `.${d}`))
}

/** The cast to string of non-null values of `from`. */
export function castToString(from: DataType): (v: Value) => Value {
  const name = typeName(from)
  if (name === 'double' || name === 'float') return (v) => formatFloating(v as number)
  if (name === 'timestamp' || name === 'timestamp_ntz') return (v) => formatTimestampText(v as string)
  if (name === 'binary') return (v) => UTF8.decode(v as Uint8Array)
  return (v) => String(v)
}
