// CSV records (RFC 4180): fields with a comma, quote, CR or LF are quoted, quotes doubled. Pure.

const NEEDS_QUOTES = /[",\r\n]/

/** One CSV line (with trailing newline) from field texts; `null` becomes an empty field. */
export function csvLine(fields: readonly (string | null)[]): string {
  return fields.map((f) => (f === null ? '' : NEEDS_QUOTES.test(f) || f.startsWith(' ') || f.endsWith(' ') ? `"${f.replace(/"/g, '""')}"` : f)).join(',') + '\n'
}
