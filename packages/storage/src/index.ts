// Public API of @lake/storage: the ObjectStore contract, errors, the local and memory stores,
// test decorators and openStore. The contract suite is a separate entry: '@lake/storage/testing'.

export * from './errors.js'
export type * from './object-store.js'
export { compareKeys, compareBytes } from './key-order.js'
export { validateKey, validatePrefix, validateBytes, TEMP_FILE_PATTERN } from './validate-key.js'
export { resolveByteRange, type ResolvedRange } from './byte-range.js'
export { toStorageError, errnoOf } from './to-storage-error.js'
export { mapConcurrent } from './map-concurrent.js'
export { LocalStore } from './local-store.js'
export { makeDirs } from './make-dirs.js'
export { MemoryStore, type MemoryStoreOptions } from './memory-store.js'
export { STORE_METHODS, type StoreMethod } from './store-method.js'
export { countingStore, type CountingStore } from './counting-store.js'
export { faultyStore, type FaultRule, type FaultyStoreOptions } from './faulty-store.js'
export {
  openStore,
  registerStoreScheme,
  supportedSchemes,
  type OpenStoreOptions,
  type StoreFactory,
} from './open-store.js'
