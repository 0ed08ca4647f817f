export * from './errors.js'
export type * from './object-store.js'
