// Public API of @lake/storage/testing: the shared ObjectStore contract suite and its helpers.
// Imports vitest; never import this entry from library code.

export { describeObjectStoreContract } from './object-store-contract.js'
export type { ContractQuirks, ContractContext } from './contract-context.js'
export {
  collect,
  expectStorageError,
  listKeys,
  patternBytes,
  sameBytes,
  SPECIAL_KEYS,
  textBytes,
  TRICKY_KEYS,
} from './contract-helpers.js'
