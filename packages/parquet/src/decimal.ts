// Exact decimals: the Delta decimal string <-> unscaled bigint, Parquet big-endian two's complement
// bytes, and JSON-number bounds for file statistics that still bound after float64 rounding.

const DECIMAL_PATTERN = /^([+-]?)(\d+)(?:\.(\d+))?$/
const NUMBER_PATTERN = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/

/** An exact decimal `unscaled * 10^-scale` (scale may be negative for exponent forms). */
export interface ExactDecimal {
  readonly unscaled: bigint
  readonly scale: number
}

/**
 * The unscaled value of a decimal string at `scale`, or undefined when the text is malformed, has
 * non-zero digits beyond `scale` or needs more than `precision` digits.
 */
export function parseDecimal(text: string, precision: number, scale: number): bigint | undefined {
  const fast = parseSmallDecimal(text, precision, scale)
  if (fast !== NOT_SMALL) return fast
  const match = DECIMAL_PATTERN.exec(text)
  if (!match) return undefined
  const fraction = match[3] ?? ''
  if (fraction.length > scale && !/^0*$/.test(fraction.slice(scale))) return undefined
  const digits = (match[2] as string) + fraction.slice(0, scale).padEnd(scale, '0')
  const magnitude = BigInt(digits)
  if (magnitude >= 10n ** BigInt(precision)) return undefined
  return match[1] === '-' ? -magnitude : magnitude
}

const NOT_SMALL = Symbol('not small')

/**
 * `parseDecimal` without regex or string building for plain texts whose unscaled value fits a safe
 * integer (most data); {@link NOT_SMALL} when the text needs the general path.
 */
function parseSmallDecimal(text: string, precision: number, scale: number): bigint | undefined | typeof NOT_SMALL {
  const first = text.charCodeAt(0)
  let i = first === 45 || first === 43 ? 1 : 0 // '-' '+'
  const intStart = i
  let acc = 0
  for (let d = text.charCodeAt(i) - 48; d >= 0 && d <= 9; d = text.charCodeAt(++i) - 48) acc = acc * 10 + d
  if (i === intStart) return NOT_SMALL
  let digits = 0
  if (i < text.length) {
    if (text.charCodeAt(i) !== 46) return NOT_SMALL // '.'
    const fracStart = ++i
    for (let d = text.charCodeAt(i) - 48; d >= 0 && d <= 9; d = text.charCodeAt(++i) - 48) {
      if (digits < scale) {
        acc = acc * 10 + d
        digits++
      } else if (d !== 0) {
        return NOT_SMALL
      }
    }
    if (i === fracStart || i !== text.length) return NOT_SMALL
  }
  for (; digits < scale; digits++) acc *= 10
  if (!Number.isSafeInteger(acc)) return NOT_SMALL
  if (acc >= 10 ** precision) return undefined
  return BigInt(first === 45 ? -acc : acc)
}

/** The decimal string of `unscaled * 10^-scale` with exactly `scale` fraction digits (`-12.50`). */
export function formatDecimal(unscaled: bigint, scale: number): string {
  const negative = unscaled < 0n
  const digits = (negative ? -unscaled : unscaled).toString().padStart(scale + 1, '0')
  const whole = digits.slice(0, digits.length - scale)
  const text = scale > 0 ? `${whole}.${digits.slice(digits.length - scale)}` : whole
  return negative ? `-${text}` : text
}

/** Signed big-endian two's complement bytes (Parquet DECIMAL in BYTE_ARRAY/FIXED_LEN_BYTE_ARRAY). */
export function bigintFromBytes(bytes: Uint8Array): bigint {
  if (bytes.length === 0) return 0n
  let value = 0n
  for (const byte of bytes) value = (value << 8n) | BigInt(byte)
  const bits = BigInt(bytes.length * 8)
  return (bytes[0] as number) & 0x80 ? value - (1n << bits) : value
}

/** Bytes of the smallest FIXED_LEN_BYTE_ARRAY holding any decimal of `precision` digits. */
export function decimalByteLength(precision: number): number {
  const limit = 10n ** BigInt(precision)
  let bytes = 1
  while (1n << BigInt(8 * bytes - 1) < limit) bytes++
  return bytes
}

/** -1, 0, 1 as `a` is below, equal to or above `b`. */
export function compareDecimals(a: ExactDecimal, b: ExactDecimal): number {
  const scale = Math.max(a.scale, b.scale)
  const left = a.unscaled * 10n ** BigInt(scale - a.scale)
  const right = b.unscaled * 10n ** BigInt(scale - b.scale)
  return left < right ? -1 : left > right ? 1 : 0
}

/** The exact decimal a JSON reader sees for the JS number `x` (its shortest round-trip text). */
export function decimalOfNumber(x: number): ExactDecimal {
  const match = NUMBER_PATTERN.exec(String(x))
  if (!match) throw new RangeError(`expected a finite number, found ${x}`)
  const fraction = match[3] ?? ''
  const unscaled = BigInt((match[2] as string) + fraction)
  return { unscaled: match[1] === '-' ? -unscaled : unscaled, scale: fraction.length - Number(match[4] ?? 0) }
}

const floatView = new Float64Array(1)
const bitsView = new BigInt64Array(floatView.buffer)

/** The adjacent float64 toward +Infinity (`up`) or -Infinity. */
export function nextFloat(x: number, up: boolean): number {
  if (x === 0) return up ? Number.MIN_VALUE : -Number.MIN_VALUE
  floatView[0] = x
  const bits = bitsView[0] as bigint
  bitsView[0] = (x > 0) === up ? bits + 1n : bits - 1n
  return floatView[0] as number
}

/**
 * A JS number whose JSON text is a lower (`'min'`) or upper (`'max'`) bound of the exact decimal:
 * rounds outward when float64 cannot hold it. Undefined when no finite bound is found.
 */
export function jsonNumberBound(exact: ExactDecimal, bound: 'min' | 'max'): number | undefined {
  let x = Number(formatDecimal(exact.unscaled, Math.max(exact.scale, 0)))
  for (let step = 0; step < 8 && Number.isFinite(x); step++) {
    const order = compareDecimals(decimalOfNumber(x), exact)
    if (bound === 'min' ? order <= 0 : order >= 0) return x
    x = nextFloat(x, bound === 'max')
  }
  return undefined
}
