// Fast construction of objects with a known, fixed list of keys (decoded rows and structs).

const MAX_TEMPLATE_KEYS = 64 // keys; wider objects are built key by key

/**
 * An object with every key set to null, built by `JSON.parse` so all properties sit inside the object:
 * cloning it (`{ ...template }`) and assigning is faster than growing `{}` key by key, with the same key
 * order. Undefined when a key is `__proto__` (plain assignment would set the prototype) or for very wide
 * objects (V8 keeps those in dictionary mode, where cloning gains nothing).
 */
export function objectTemplate(keys: readonly string[]): Readonly<Record<string, null>> | undefined {
  if (keys.length > MAX_TEMPLATE_KEYS || keys.includes('__proto__')) return undefined
  return JSON.parse(`{${keys.map(k => `${JSON.stringify(k)}:null`).join(',')}}`) as Record<string, null>
}
