// The ObjectStore contract: the only I/O seam of lake. Keys are '/'-separated paths relative to the
// store root. Implementations must pass `describeObjectStoreContract` from '@lake/storage/testing'.

/** What a store knows about one object. */
export interface ObjectMeta {
  /** The key, relative to the store root, '/'-separated, no leading '/'. */
  readonly path: string
  /** Size in bytes. */
  readonly size: number
  /** Last modification time in epoch milliseconds. */
  readonly lastModified: number
  /** An opaque version tag (S3 ETag without quotes), when the backend has one. */
  readonly etag?: string
}

/** A byte range: `{ offset, length }` for a middle slice, `{ suffix }` for the last N bytes. */
export type ByteRange =
  | { readonly offset: number; readonly length?: number }
  | { readonly suffix: number }

export interface GetOptions {
  /**
   * Only these bytes. A range reaching past the end is clamped to the object (like HTTP); a suffix
   * longer than the object is the whole object; an offset at or past the end yields no bytes (not an
   * error). Negative or non-integer numbers throw `InvalidArgument`.
   */
  readonly range?: ByteRange
  readonly signal?: AbortSignal
}

export interface ListOptions {
  /** Only keys strictly greater (byte order) than this full key. */
  readonly startAfter?: string
  readonly signal?: AbortSignal
}

export interface SignalOptions {
  readonly signal?: AbortSignal
}

/**
 * Object storage as lake needs it. Every method throws `StorageError` only, with
 * `context.method` and `context.path` set; `retryable` is true only for transient failures
 * (`Unavailable`, `Timeout`).
 *
 * Keys are validated by `validateKey` on every backend: non-empty, relative, no empty, `.` or `..`
 * segment, no NUL (`InvalidPath` otherwise). Every method given an already-aborted `signal` rejects
 * with `Aborted` and does nothing.
 */
export interface ObjectStore {
  /** A human-readable location of the store root (`file:///data/t`, `s3://bucket/prefix`). */
  readonly url: string

  /**
   * Reads an object, or a range of it.
   * @throws StorageError `NotFound` when the key does not exist.
   */
  get(path: string, options?: GetOptions): Promise<Uint8Array>

  /**
   * Metadata of one object.
   * @throws StorageError `NotFound` when the key does not exist.
   */
  head(path: string, options?: SignalOptions): Promise<ObjectMeta>

  /**
   * Writes an object, replacing any previous one. Readers see either the old or the new bytes,
   * never a partial object.
   */
  put(path: string, bytes: Uint8Array, options?: SignalOptions): Promise<ObjectMeta>

  /**
   * Writes an object only if no object exists at the key. Atomic: of N concurrent calls on one key
   * exactly one succeeds, and readers never see a partial object. Never overwrites.
   * @throws StorageError `AlreadyExists` when the key exists (the caller lost the race).
   */
  putIfAbsent(path: string, bytes: Uint8Array, options?: SignalOptions): Promise<ObjectMeta>

  /**
   * Every object whose key starts with `prefix` (a plain string prefix, recursive: no delimiter),
   * sorted by the byte order of the UTF-8 encoded key (S3 order; see `compareKeys`), each at most
   * once. With `startAfter`, only keys greater than it. Listing a prefix with no objects yields
   * nothing (no error). Objects written or deleted during a listing may or may not appear.
   */
  list(prefix: string, options?: ListOptions): AsyncIterable<ObjectMeta>

  /** Deletes an object. Idempotent: deleting a missing key succeeds. */
  delete(path: string, options?: SignalOptions): Promise<void>

  /** Deletes many objects; missing keys are ignored. Backends may batch. */
  deleteMany?(paths: readonly string[], options?: SignalOptions): Promise<void>

  /**
   * Removes the backend's own leftovers of interrupted writes that are not objects (a local
   * store's `.lake-<hex>.tmp` files, never listed) last modified before `before` (epoch ms); with
   * `dryRun` only reports them. Returns their keys and metadata. Backends whose writes leave
   * nothing behind (S3) omit it. A write still in flight keeps its temp file fresh, so a cutoff in
   * the past does not touch it.
   */
  removeStaleTemp?(before: number, options?: SignalOptions & { readonly dryRun?: boolean }): Promise<ObjectMeta[]>
}
