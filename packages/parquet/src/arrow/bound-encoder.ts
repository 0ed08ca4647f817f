// `encodeArrowBatch`, bound as `hyparquetCodec.encodeBatch` when this module loads (see
// ../batch-encoder.ts): the Arrow entry re-exports the encoder from here, so whoever loads the Arrow
// modules can hand batches to the default codec.

import { bindBatchEncoder } from '../batch-encoder.js'
import { encodeArrowBatch } from './encode-arrow-batch.js'

bindBatchEncoder(encodeArrowBatch)

export { encodeArrowBatch }
