// Calls to the server's JSON API. The token travels in the cookie the server set when the page was
// opened with it (same origin), or as a Bearer header taken from the page URL.

/** An error the API answered with (its code and message are shown inline). */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  constructor(code: string, message: string, status: number) {
    super(message)
    this.code = code
    this.status = status
  }
}

const token = new URLSearchParams(location.search).get('token')

/** GET `path` with query parameters (empty ones left out). @throws ApiError */
export async function api<T>(path: string, params: Readonly<Record<string, string | number | undefined>> = {}): Promise<T> {
  const query = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') query.set(k, String(v))
  const url = `/api/${path}${query.size > 0 ? `?${query}` : ''}`
  const res = await fetch(url, { headers: token === null ? {} : { Authorization: `Bearer ${token}` } })
  const body: unknown = await res.json()
  if (!res.ok) {
    const error = (body as { error?: { code?: string; message?: string } }).error
    throw new ApiError(error?.code ?? 'Unknown', error?.message ?? `HTTP ${res.status}`, res.status)
  }
  return body as T
}
