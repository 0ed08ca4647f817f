// Display helpers: bytes with binary units (the exact count alongside), counts with separators.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']

/** `1.5 MiB` for 1572864. */
export function bytes(n: number | null | undefined): string {
  if (n === null || n === undefined) return '—'
  let value = n
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  return unit === 0 ? `${n} B` : `${value.toFixed(value < 10 ? 2 : 1)} ${UNITS[unit]}`
}

/** A count with thousands separators, `—` when unknown. */
export function count(n: number | string | null | undefined): string {
  if (n === null || n === undefined) return '—'
  const text = String(n)
  return /^-?\d+$/.test(text) ? text.replace(/\B(?=(\d{3})+(?!\d))/g, ',') : text
}

/** JSON text of a value, indented, for commit metadata. */
export function pretty(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? 'null'
}
