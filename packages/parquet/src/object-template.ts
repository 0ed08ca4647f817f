// Fast construction of objects with a known, fixed list of keys (decoded rows and structs).

const MAX_TEMPLATE_KEYS = 64 // keys; wider objects are built key by key

/**
 * An object with every key set to null, built by `JSON.parse` so all properties sit inside the object
 * (`"__proto__"` included, as an own data property): cloning it (`{ ...template }`) and assigning sets own
 * properties only, with the same key order, and is faster than growing `{}` key by key. Undefined for very
 * wide objects (V8 keeps those in dictionary mode, where cloning gains nothing) unless a key is
 * `__proto__`: assigning that key to `{}` would set the prototype, so such objects always get a template.
 */
export function objectTemplate(keys: readonly string[]): Readonly<Record<string, null>> | undefined {
  if (keys.length > MAX_TEMPLATE_KEYS && !keys.includes('__proto__')) return undefined
  return JSON.parse(`{${keys.map(k => `${JSON.stringify(k)}:null`).join(',')}}`) as Record<string, null>
}

/** Sets `key` as an own property of a plain object, also when the key is `__proto__`. */
export function setField(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
  else target[key] = value
}
