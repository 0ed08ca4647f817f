// Public surface of the partition module: value parsing/serialization and Hive path escaping.
export * from './decimal.js'
export * from './temporal.js'
export * from './parse-value.js'
export * from './parse-partition-value.js'
export * from './serialize-value.js'
export * from './hive-path.js'
export * from './partition-value-error.js'
