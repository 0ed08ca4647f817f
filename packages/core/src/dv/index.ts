// Public surface of the deletion vector module: Z85, descriptors, bitmap decoding and reading.
export * from './z85.js'
export * from './descriptor.js'
export * from './roaring.js'
export * from './read-deletion-vector.js'
export * from './deletion-vector-error.js'
