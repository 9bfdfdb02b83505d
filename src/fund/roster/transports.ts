import type { ProposeTransport } from '../../agents/index.ts';
import type { RemoteAgentConfig } from '../../contracts/index.ts';
import type { NatsRpc } from '../../bus/index.ts';
import { ValidationError } from '../../core/index.ts';

/** POSTs the request as JSON to the agent's endpoint; the answer is the response's JSON body (a non-2xx status is a failure). */
export function httpTransport(url: string, fetchFn: typeof fetch = fetch): ProposeTransport {
  return async (request, signal) => {
    const res = await fetchFn(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request), signal });
    const text = await res.text();
    if (!res.ok) throw new Error(`HTTP ${res.status} from ${url}: ${text.slice(0, 300)}`);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`the answer from ${url} is not JSON: ${text.slice(0, 120)}`);
    }
  };
}

/** Sends the request on the agent's NATS subject (answered by the agent or one worker of its queue group). */
export function natsTransport(rpc: NatsRpc, subject: string, timeoutMs: number): ProposeTransport {
  return async (request, signal) => {
    const text = await rpc.request(subject, JSON.stringify(request), timeoutMs, signal);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Error(`the answer on ${subject} is not JSON: ${text.slice(0, 120)}`);
    }
  };
}

/** How a roster reaches remote agents: HTTP by fetch; NATS when the kernel has a connection. */
export interface RemoteLinks {
  readonly fetch?: typeof fetch;
  /** The kernel's NATS request/reply connection (NATS_URL); a NATS agent without one is refused. */
  readonly nats?: () => Promise<NatsRpc>;
}

/** The transport a remote agent's config names. */
export async function transportFor(agentId: string, remote: RemoteAgentConfig, links: RemoteLinks): Promise<ProposeTransport> {
  if (remote.http !== undefined) return httpTransport(remote.http, links.fetch);
  if (remote.nats !== undefined && links.nats) return natsTransport(await links.nats(), remote.nats, remote.timeoutMs);
  throw new ValidationError(`agents.${agentId}.remote.nats`, 'a NATS agent needs a NATS server: set NATS_URL (e.g. nats://127.0.0.1:4222) or give the agent an http endpoint');
}
