export * from './expr/index.js'
export * from './dv/index.js'
export * from './partition/index.js'
