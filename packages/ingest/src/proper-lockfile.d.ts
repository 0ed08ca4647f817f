// Type declarations for the parts of proper-lockfile@4 that job-lock.ts uses (the package ships none).

declare module 'proper-lockfile' {
  interface LockOptions {
    stale?: number
    update?: number
    realpath?: boolean
    lockfilePath?: string
    retries?: number | { retries?: number; factor?: number; minTimeout?: number; maxTimeout?: number }
    onCompromised?: (err: Error) => void
  }
  export function lock(file: string, options?: LockOptions): Promise<() => Promise<void>>
}
