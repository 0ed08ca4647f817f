// The content of `_delta_log/_last_checkpoint` (PROTOCOL.md#Last Checkpoint File), a hint written
// after the checkpoint itself. Pure.

/** The fields lake writes into `_last_checkpoint`. */
export interface LastCheckpointInfo {
  /** The checkpoint's table version. */
  readonly version: number
  /** Number of actions in the checkpoint. */
  readonly size: number
  /** Size of the checkpoint file in bytes. */
  readonly sizeInBytes: number
  /** Number of add actions in the checkpoint. */
  readonly numOfAddFiles: number
}

/** `{"version":V,"size":N,"sizeInBytes":B,"numOfAddFiles":A}` (single-file checkpoint: no `parts`). */
export function lastCheckpointJson(info: LastCheckpointInfo): string {
  return JSON.stringify({ version: info.version, size: info.size, sizeInBytes: info.sizeInBytes, numOfAddFiles: info.numOfAddFiles })
}
