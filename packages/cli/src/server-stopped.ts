// The end of a command that serves until Ctrl-C (`lake ui`): exit 130 like any interrupted run,
// but quietly, since stopping is how such a command is meant to end.

import { LakeError } from '@lake/storage'

/** Thrown by a serving command once SIGINT stopped it: `run` exits 130 without a message. */
export class ServerStopped extends LakeError {
  declare readonly code: 'Aborted'
  constructor(what: string) {
    super('Aborted', `${what} stopped by SIGINT`)
  }
}
