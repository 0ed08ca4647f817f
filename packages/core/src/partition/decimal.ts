// Exact decimal text arithmetic: parse, rescale, format and compare decimals without floating point.
// A decimal value is a string with exactly `scale` digits after the point (`"-12.50"`).

const DECIMAL_RE = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/

/** A decimal as an unscaled integer and a scale: value = unscaled / 10^scale. */
export interface ExactDecimal {
  readonly unscaled: bigint
  readonly scale: number
}

/** Parses decimal text (`-1.50`, `.5`, `1e3`, `2.5E-2`) exactly, or undefined when it is not a number. */
export function parseDecimalText(text: string): ExactDecimal | undefined {
  const m = DECIMAL_RE.exec(text.trim())
  if (m === null) return undefined
  const intPart = m[2] ?? ''
  const fracPart = m[3] ?? ''
  if (intPart === '' && fracPart === '') return undefined
  const exponent = m[4] === undefined ? 0 : Number(m[4])
  if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 1000) return undefined
  let digits = BigInt(`${intPart}${fracPart}` || '0')
  let scale = fracPart.length - exponent
  if (scale < 0) {
    digits *= 10n ** BigInt(-scale)
    scale = 0
  }
  return { unscaled: m[1] === '-' ? -digits : digits, scale }
}

/** The value at another scale, or undefined when that would drop non-zero digits. */
export function rescaleDecimal(d: ExactDecimal, scale: number): ExactDecimal | undefined {
  if (scale >= d.scale) return { unscaled: d.unscaled * 10n ** BigInt(scale - d.scale), scale }
  const factor = 10n ** BigInt(d.scale - scale)
  if (d.unscaled % factor !== 0n) return undefined
  return { unscaled: d.unscaled / factor, scale }
}

/** Formats with exactly `scale` fraction digits: `{ unscaled: -1250n, scale: 2 }` → `"-12.50"`. */
export function formatDecimal(d: ExactDecimal): string {
  const negative = d.unscaled < 0n
  const digits = (negative ? -d.unscaled : d.unscaled).toString().padStart(d.scale + 1, '0')
  const intPart = digits.slice(0, digits.length - d.scale)
  const text = d.scale === 0 ? intPart : `${intPart}.${digits.slice(digits.length - d.scale)}`
  return negative ? `-${text}` : text
}

/** Number of digits of the unscaled value (the precision it needs). */
export function decimalPrecision(d: ExactDecimal): number {
  return (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString().length
}

/**
 * The canonical value of decimal text for `decimal(precision, scale)`: exactly `scale` fraction
 * digits. Undefined when the text is not a number, has non-zero digits beyond the scale, or needs
 * more than `precision` digits.
 */
export function toDecimalValue(text: string, precision: number, scale: number): string | undefined {
  const parsed = parseDecimalText(text)
  const d = parsed === undefined ? undefined : rescaleDecimal(parsed, scale)
  if (d === undefined || (d.unscaled !== 0n && decimalPrecision(d) > precision)) return undefined
  return formatDecimal(d)
}

/** Compares two decimal texts exactly, whatever their scales: negative, zero or positive. */
export function compareDecimalText(a: string, b: string): number {
  if (a === b) return 0
  const x = parseDecimalText(a)
  const y = parseDecimalText(b)
  if (x === undefined || y === undefined) return a < b ? -1 : 1
  const scale = Math.max(x.scale, y.scale)
  const ux = x.unscaled * 10n ** BigInt(scale - x.scale)
  const uy = y.unscaled * 10n ** BigInt(scale - y.scale)
  return ux < uy ? -1 : ux > uy ? 1 : 0
}
