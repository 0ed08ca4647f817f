// One in-memory DuckDB (1 thread) per test file: opened before its tests, closed after them.

import { DuckDBInstance } from '@duckdb/node-api'
import type { DuckDBConnection } from '@duckdb/node-api'
import { afterAll, beforeAll } from 'vitest'

/** Registers the file's DuckDB hooks; call the returned function inside a test for the connection. */
export function useDuckDb(): () => DuckDBConnection {
  let instance: DuckDBInstance | undefined
  let con: DuckDBConnection | undefined
  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:', { threads: '1' })
    con = await instance.connect()
  })
  afterAll(() => {
    con?.closeSync()
    instance?.closeSync()
  })
  return () => {
    if (con === undefined) throw new Error('DuckDB is not open: call the connection inside a test')
    return con
  }
}
