// Opens a URL in the user's browser (`lake ui --open`) with the platform's opener, detached; a
// missing opener only costs the convenience (the URL is printed anyway).

import { spawn } from 'node:child_process'

/** Starts the platform's opener on `url`; returns false when it could not be started. */
export function openUrl(url: string, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  const [command, args] = platform === 'darwin' ? ['open', [url]] : platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]]
  return new Promise((resolve) => {
    const child = spawn(command, args, { detached: true, stdio: 'ignore' })
    child.once('error', () => resolve(false))
    child.once('spawn', () => {
      child.unref()
      resolve(true)
    })
  })
}
