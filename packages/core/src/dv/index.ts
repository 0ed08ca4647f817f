// Public surface of the deletion vector module (pure): Z85, descriptors, bitmap decoding, and the
// writer side (bitmap and file encoding, new descriptors). Reading a DV file is
// read/read-deletion-vector.ts; storing DV files is files/write-deletion-vectors.ts.
export * from './z85.js'
export * from './descriptor.js'
export * from './roaring.js'
export * from './deletion-vector-error.js'
export * from './row-index-buckets.js'
export * from './roaring-encode.js'
export * from './dv-file.js'
export * from './new-descriptor.js'
