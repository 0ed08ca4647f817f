// Public surface of the deletion vector module: Z85, descriptors, bitmap decoding and reading, and
// the writer side (bitmap and file encoding, new descriptors, writing DV files).
export * from './z85.js'
export * from './descriptor.js'
export * from './roaring.js'
export * from './read-deletion-vector.js'
export * from './deletion-vector-error.js'
export * from './row-index-buckets.js'
export * from './roaring-encode.js'
export * from './dv-file.js'
export * from './new-descriptor.js'
export * from './write-deletion-vectors.js'
