// The `_last_checkpoint` hint (PROTOCOL.md#Last Checkpoint File): where to start listing. It may
// be missing, stale or corrupt; every such case yields `undefined`, never an error. Reading it is
// read/read-last-checkpoint.ts.

/** The fields of `_last_checkpoint` lake uses. */
export interface LastCheckpointHint {
  readonly version: number
  readonly size?: number
  readonly parts?: number
}

/**
 * Parses the bytes of `_last_checkpoint`.
 * @returns The hint, or `undefined` when the content is not a JSON object with a safe integer
 * `version` (corrupt hints are ignored, golden `corrupted-last-checkpoint-kernel`).
 */
export function parseLastCheckpoint(bytes: Uint8Array): LastCheckpointHint | undefined {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder().decode(bytes))
  } catch {
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  const obj = value as Record<string, unknown>
  const version = obj['version']
  if (typeof version !== 'number' || !Number.isSafeInteger(version) || version < 0) return undefined
  const size = obj['size']
  const parts = obj['parts']
  return {
    version,
    ...(typeof size === 'number' ? { size } : {}),
    ...(typeof parts === 'number' ? { parts } : {}),
  }
}
