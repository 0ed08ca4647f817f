// An aligned, borderless text table (psql-like): a header, a rule, one line per row. Pure.

/** Options of `renderTable`. */
export interface TableStyle {
  /** Wrap the header in ANSI bold (only on a terminal without NO_COLOR). */
  readonly color: boolean
  /** Text for SQL NULL cells. */
  readonly nullText: string
}

/** Renders rows of cell texts (`null` = SQL NULL) under `columns`, each column as wide as its widest cell. */
export function renderTable(columns: readonly string[], rows: readonly (readonly (string | null)[])[], style: TableStyle): string {
  const widths = columns.map((c, i) => Math.max(width(c), ...rows.map((r) => width(r[i] ?? style.nullText))))
  const line = (cells: readonly string[]): string => cells.map((c, i) => pad(c, widths[i] ?? 0)).join('  ').trimEnd()
  const header = line(columns)
  const out = [style.color ? `\u001b[1m${header}\u001b[22m` : header, widths.map((w) => '-'.repeat(w)).join('  ')]
  for (const row of rows) out.push(line(columns.map((_, i) => oneLine(row[i] ?? style.nullText))))
  return out.join('\n') + '\n'
}

/** Key/value layout for one object (describe, results of maintenance commands). */
export function renderKeyValue(entries: readonly (readonly [string, string | null])[], style: TableStyle): string {
  const keyWidth = Math.max(0, ...entries.map(([k]) => width(k)))
  return entries.map(([k, v]) => `${style.color ? `\u001b[1m${pad(k, keyWidth)}\u001b[22m` : pad(k, keyWidth)}  ${oneLine(v ?? style.nullText)}`.trimEnd()).join('\n') + '\n'
}

/** Code points, so accented text aligns (wide CJK glyphs may still be off by their extra cell). */
function width(text: string): number {
  let n = 0
  for (const _ of oneLine(text)) n++
  return n
}

function pad(text: string, to: number): string {
  const t = oneLine(text)
  return t + ' '.repeat(Math.max(0, to - width(t)))
}

/** Newlines and tabs would break the alignment: shown escaped. */
function oneLine(text: string): string {
  return text.replace(/\r/g, '\\r').replace(/\n/g, '\\n').replace(/\t/g, '\\t')
}
