// Building DOM nodes. Text always goes through text nodes (textContent), never through markup, so
// nothing a table contains (column names, values, commit metadata) can become HTML or script.

type Child = Node | string | number | null | undefined | false
type Attrs = Readonly<Record<string, string | undefined>>

/** An element with attributes (set with setAttribute) and children (strings become text nodes). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: readonly Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag)
  for (const [name, value] of Object.entries(attrs)) if (value !== undefined) el.setAttribute(name, value)
  append(el, children)
  return el
}

/** Appends children, strings and numbers as text nodes. */
export function append(el: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    el.appendChild(typeof child === 'string' || typeof child === 'number' ? document.createTextNode(String(child)) : child)
  }
}

/** Replaces every child of `el`. */
export function replace(el: Element, ...children: readonly Child[]): void {
  el.replaceChildren()
  append(el, children)
}

/** A table with a header row and text cells; null cells show as NULL (styled apart from the text "NULL"). */
export function table(testId: string, headers: readonly string[], rows: readonly (readonly (Child | null)[])[]): HTMLTableElement {
  const head = h('tr', {}, ...headers.map((name) => h('th', {}, name)))
  const body = rows.map((row) => h('tr', {}, ...row.map((cell) => (cell === null ? h('td', { class: 'null' }, 'NULL') : h('td', {}, cell)))))
  return h('table', { 'data-testid': testId }, h('thead', {}, head), h('tbody', {}, ...body))
}

/** A definition list of label/value pairs. */
export function fields(testId: string, pairs: readonly (readonly [string, Child])[]): HTMLDListElement {
  return h('dl', { 'data-testid': testId }, ...pairs.flatMap(([label, value]) => [h('dt', {}, label), h('dd', { 'data-field': label }, value ?? '—')]))
}

/** A section with a heading. */
export function section(title: string, ...children: readonly Child[]): HTMLElement {
  return h('section', {}, h('h2', {}, title), ...children)
}
