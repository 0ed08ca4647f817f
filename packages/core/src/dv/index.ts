// Public surface of the deletion vector module: Z85, descriptors and bitmap decoding (reading a DV
// file is read/read-deletion-vector.ts).
export * from './z85.js'
export * from './descriptor.js'
export * from './roaring.js'
export * from './deletion-vector-error.js'
