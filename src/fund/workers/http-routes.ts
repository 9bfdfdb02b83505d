/** The routes of `keel agents serve --http`, shared by the server and the fund's HTTP channel. */

/** The status of a propose request that names a session the server does not hold (the fund's process PUTs it, then asks again). */
export const HTTP_SESSION_UNKNOWN = 409;

/** Where a session's bytes are PUT (its sha256). */
export function sessionPath(id: string): string {
  return `/sessions/${id}`;
}

/** Where a cycle's requests for the server's agents are POSTed together (`{ "requests": [...] }`, answered by `encodeBatch`). */
export const BATCH_PATH = '/batch';
