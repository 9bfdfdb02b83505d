/** The HTTP client: same-origin fetch with the session cookie; errors as ApiError. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type Listener = () => void;
const unauthorisedListeners = new Set<Listener>();

/** Called whenever a request answers 401 (the app then shows the login page). */
export function onUnauthorised(l: Listener): () => void {
  unauthorisedListeners.add(l);
  return () => unauthorisedListeners.delete(l);
}

async function parse(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Calls the API. A 404 without a Keel error code means the route does not exist on this server. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; headers?: Record<string, string>; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...init.headers };
  const req: RequestInit = { method: init.method ?? 'GET', headers, credentials: 'same-origin' };
  if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    req.body = JSON.stringify(init.body);
  }
  if (init.signal) req.signal = init.signal;
  let res: Response;
  try {
    res = await fetch(path, req);
  } catch (e) {
    if (e instanceof DOMException && e.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', 'The server did not answer (network error).');
  }
  const body = await parse(res);
  if (res.ok) return body as T;
  const b = (typeof body === 'object' && body !== null ? body : {}) as { code?: unknown; message?: unknown; details?: unknown };
  const noRoute = res.status === 404 && (typeof b.code !== 'string' || (typeof b.message === 'string' && b.message.startsWith('no route')));
  const code = noRoute ? 'KEEL_E_NOT_AVAILABLE' : typeof b.code === 'string' ? b.code : `HTTP_${res.status}`;
  const message =
    code === 'KEEL_E_NOT_AVAILABLE' ? `${init.method ?? 'GET'} ${path.split('?')[0] ?? path} is not served by this API yet.` : typeof b.message === 'string' ? b.message : res.statusText;
  if (res.status === 401 && !path.endsWith('/v1/session')) for (const l of unauthorisedListeners) l();
  throw new ApiError(res.status, code, message, (typeof b.details === 'object' && b.details !== null ? b.details : {}) as Record<string, unknown>);
}

export const post = <T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T> => api<T>(path, { method: 'POST', body, ...(headers ? { headers } : {}) });

/** `?a=1&b=x` from the defined, non-empty entries. */
export function query(q: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
