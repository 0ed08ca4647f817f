// Parsing of one Delta action (a commit line or a checkpoint row) into a typed `Action`.
// Unknown action types yield `undefined`; unknown fields are kept. Pure. PROTOCOL.md#Actions

import { ProtocolError } from '../errors.js'
import { compact, describeOrigin, FieldReader, isObject } from './fields.js'
import type { JsonObject, Origin } from './fields.js'
import { parseAdd, parseCdc, parseRemove } from './parse-file-action.js'
import type {
  Action,
  CheckpointMetadata,
  CommitInfo,
  DomainMetadata,
  Metadata,
  Protocol,
  Sidecar,
  Txn,
} from './types.js'

export type { Origin } from './fields.js'

/**
 * Parses one line of a commit file.
 * @returns The action, or `undefined` for a blank line or an action type lake does not know.
 * @throws ProtocolError `CorruptLog` when the line is not JSON or a known action is malformed.
 */
export function parseAction(line: string, origin: Origin = {}): Action | undefined {
  if (line.trim() === '') return undefined
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (cause) {
    throw new ProtocolError('CorruptLog', `invalid JSON at ${describeOrigin(origin)}: ${line.slice(0, 120)}`, {
      cause,
      context: { version: origin.version, line: origin.line },
    })
  }
  return parseActionValue(value, origin)
}

/**
 * Parses one action from a JSON value `{ "<kind>": { ... } }` (a commit line or a checkpoint row
 * converted to JSON values). The first known, non-null key decides the action.
 * @returns The action, or `undefined` when the object holds no known action.
 * @throws ProtocolError `CorruptLog` when the value is not an object or a known action is malformed.
 */
export function parseActionValue(value: unknown, origin: Origin = {}): Action | undefined {
  if (!isObject(value)) {
    throw new ProtocolError('CorruptLog', `invalid action at ${describeOrigin(origin)}: expected a JSON object`, {
      context: { version: origin.version, line: origin.line },
    })
  }
  for (const [kind, body] of Object.entries(value)) {
    if (body === null || body === undefined || !ACTION_PARSERS.has(kind)) continue
    if (!isObject(body)) new FieldReader(value, kind, origin).fail(kind, 'an object', body)
    return ACTION_PARSERS.get(kind)?.(body as JsonObject, origin)
  }
  return undefined
}

type ActionParser = (obj: JsonObject, origin: Origin) => Action

const ACTION_PARSERS: ReadonlyMap<string, ActionParser> = new Map<string, ActionParser>([
  ['add', (o, at) => ({ kind: 'add', add: parseAdd(o, at) })],
  ['remove', (o, at) => ({ kind: 'remove', remove: parseRemove(o, at) })],
  ['metaData', (o, at) => ({ kind: 'metaData', metaData: parseMetadata(o, at) })],
  ['protocol', (o, at) => ({ kind: 'protocol', protocol: parseProtocol(o, at) })],
  ['txn', (o, at) => ({ kind: 'txn', txn: parseTxn(o, at) })],
  ['commitInfo', (o) => ({ kind: 'commitInfo', commitInfo: parseCommitInfo(o) })],
  ['domainMetadata', (o, at) => ({ kind: 'domainMetadata', domainMetadata: parseDomainMetadata(o, at) })],
  ['cdc', (o, at) => ({ kind: 'cdc', cdc: parseCdc(o, at) })],
  ['sidecar', (o, at) => ({ kind: 'sidecar', sidecar: parseSidecar(o, at) })],
  ['checkpointMetadata', (o, at) => ({ kind: 'checkpointMetadata', checkpointMetadata: parseCheckpointMetadata(o, at) })],
])

/** PROTOCOL.md#Protocol Evolution. Only the shape is checked here; legality is `validateProtocol`. */
export function parseProtocol(obj: JsonObject, origin: Origin): Protocol {
  const r = new FieldReader(obj, 'protocol', origin)
  return compact({
    ...obj,
    minReaderVersion: r.integer('minReaderVersion'),
    minWriterVersion: r.integer('minWriterVersion'),
    readerFeatures: r.optStringArray('readerFeatures'),
    writerFeatures: r.optStringArray('writerFeatures'),
  })
}

/** PROTOCOL.md#Change Metadata */
export function parseMetadata(obj: JsonObject, origin: Origin): Metadata {
  const r = new FieldReader(obj, 'metaData', origin)
  const format = r.optObject('format')
  const formatReader = new FieldReader(format ?? {}, 'metaData.format', origin)
  return compact({
    ...obj,
    id: r.string('id'),
    name: r.optString('name'),
    description: r.optString('description'),
    format: {
      ...format,
      provider: format ? formatReader.string('provider') : 'parquet',
      options: (formatReader.optStringMap('options') ?? {}) as Record<string, string>,
    },
    schemaString: r.string('schemaString'),
    partitionColumns: r.stringArray('partitionColumns'),
    createdTime: r.optInteger('createdTime'),
    configuration: (r.optStringMap('configuration') ?? {}) as Record<string, string>,
  })
}

/** PROTOCOL.md#Transaction Identifiers */
export function parseTxn(obj: JsonObject, origin: Origin): Txn {
  const r = new FieldReader(obj, 'txn', origin)
  return compact({ ...obj, appId: r.string('appId'), version: r.integer('version'), lastUpdated: r.optInteger('lastUpdated') })
}

/** PROTOCOL.md#Domain Metadata */
export function parseDomainMetadata(obj: JsonObject, origin: Origin): DomainMetadata {
  const r = new FieldReader(obj, 'domainMetadata', origin)
  return { ...obj, domain: r.string('domain'), configuration: r.string('configuration'), removed: r.boolean('removed') }
}

/** PROTOCOL.md#Sidecar File Information */
export function parseSidecar(obj: JsonObject, origin: Origin): Sidecar {
  const r = new FieldReader(obj, 'sidecar', origin)
  return compact({
    ...obj,
    path: r.string('path'),
    sizeInBytes: r.integer('sizeInBytes'),
    modificationTime: r.integer('modificationTime'),
    tags: r.optStringMap('tags') as Sidecar['tags'],
  })
}

/** PROTOCOL.md#Checkpoint Metadata */
export function parseCheckpointMetadata(obj: JsonObject, origin: Origin): CheckpointMetadata {
  const r = new FieldReader(obj, 'checkpointMetadata', origin)
  return compact({ ...obj, version: r.integer('version'), tags: r.optStringMap('tags') as CheckpointMetadata['tags'] })
}

const COMMIT_INFO_TYPES: Readonly<Record<string, 'number' | 'string' | 'boolean' | 'object'>> = {
  timestamp: 'number',
  inCommitTimestamp: 'number',
  operation: 'string',
  operationParameters: 'object',
  operationMetrics: 'object',
  readVersion: 'number',
  isolationLevel: 'string',
  isBlindAppend: 'boolean',
  engineInfo: 'string',
  txnId: 'string',
}

/**
 * PROTOCOL.md#Commit Provenance Information: free-form, so it never fails. Conventional fields
 * (`timestamp`, `operation`, ...) holding a value of an unexpected type are dropped.
 */
export function parseCommitInfo(obj: JsonObject): CommitInfo {
  const info: JsonObject = { ...obj }
  for (const [key, type] of Object.entries(COMMIT_INFO_TYPES)) {
    const value = info[key]
    if (value === undefined) continue
    const ok = type === 'object' ? isObject(value) : typeof value === type
    if (!ok) delete info[key]
  }
  return info as CommitInfo
}
