// The bounds `lake ingest` states in its help (--concurrency, bytes in flight), in a module without
// imports so that registering the command does not load the ingest pipeline.

/** The largest --concurrency (uploads in flight; encoder threads are also capped by the cores). */
export const MAX_CONCURRENCY = 64
/** Input bytes held in chunks being read, encoded or uploaded, at most (estimated). */
export const IN_FLIGHT_BYTES = 256 << 20 // 256 MiB
