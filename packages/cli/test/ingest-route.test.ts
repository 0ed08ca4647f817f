// ingestRoute: which writer `lake ingest` uses for each combination of input and options.

import { describe, expect, it } from 'vitest'
import { ingestRoute } from '../src/ingest/run-ingest.js'

describe('ingestRoute', () => {
  it.each([
    [{ path: 'a.ndjson', mode: 'append', appId: 'j' }, 'job'],
    [{ path: 'a.ndjson', mode: 'append', appId: 'j', schemaMode: 'merge' }, 'job'],
    [{ path: undefined, mode: 'append', appId: 'j' }, 'batches'],
    [{ path: 'a.ndjson', mode: 'append' }, 'append'],
    [{ path: undefined, mode: 'append' }, 'append'],
    [{ path: 'a.ndjson', mode: 'append', schemaMode: 'merge' }, 'batches'],
    [{ path: 'a.ndjson', mode: 'overwrite', appId: 'j' }, 'batches'],
    [{ path: 'a.ndjson', mode: 'overwrite', replaceWhere: "d = '1'" }, 'batches'],
    [{ path: 'a.ndjson', mode: 'error' }, 'batches'],
    [{ path: 'a.ndjson', mode: 'ignore' }, 'batches'],
  ] as const)('%o goes to %s', (input, route) => {
    expect(ingestRoute(input)).toBe(route)
  })
})
