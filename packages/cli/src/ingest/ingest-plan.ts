// How `lake ingest` writes a request (pure, no imports): which commits and which writer, and whether
// the input takes the line route (NDJSON parsed in the encoder workers), decided from the options alone
// so the encoder pool can start before the table code loads (early-encoder.ts).

/** The options a plan depends on. */
export interface PlanRequest {
  readonly mode: string
  readonly schemaMode?: string | undefined
  readonly replaceWhere?: string | undefined
  readonly appId?: string | undefined
}

/** How the request is written (pure). */
export interface IngestPlan {
  /** `batches`: a commit per batch with txn(appId, batch); `one`: one commit of everything. */
  readonly commits: 'batches' | 'one'
  /** `files`: @lake/ingest's parallel file pipeline + commitFiles; `writeDelta`: core's streamed write. */
  readonly writer: 'files' | 'writeDelta'
}

/** The plan for a request's options. */
export function ingestPlan(request: PlanRequest): IngestPlan {
  const appends = request.mode === 'append' && request.replaceWhere === undefined && request.schemaMode !== 'overwrite'
  if (appends && request.appId !== undefined) return { commits: 'batches', writer: 'files' }
  return { commits: 'one', writer: appends && request.schemaMode === undefined ? 'files' : 'writeDelta' }
}

/** Whether a request with `format` input takes the line route: one commit by @lake/ingest's file pipeline of NDJSON. */
export function takesLineRoute(plan: IngestPlan, format: string): boolean {
  return plan.commits === 'one' && plan.writer === 'files' && format === 'ndjson'
}
