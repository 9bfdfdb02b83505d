import { createHash } from 'node:crypto';
import type { FundConfig, WorkerSessionRef } from '../../contracts/index.ts';
import { ValidationError } from '../../core/index.ts';
import { decodePanel, encodePanel, type Panel } from '../../market/index.ts';

/**
 * A worker session: what an agent worker needs once per run to compute exactly what the fund's
 * process computes: the fund config (the agents are built from it) and the market panel, bit
 * for bit. Bytes: a 4-byte little-endian config length, the config as JSON, the encoded panel.
 */
export interface WorkerSession {
  readonly config: FundConfig;
  readonly panel: Panel;
}

export function encodeSession(config: FundConfig, panel: Panel): { readonly id: string; readonly bytes: Uint8Array } {
  const head = new TextEncoder().encode(JSON.stringify(config));
  const body = encodePanel(panel);
  const bytes = new Uint8Array(4 + head.length + body.length);
  new DataView(bytes.buffer).setUint32(0, head.length, true);
  bytes.set(head, 4);
  bytes.set(body, 4 + head.length);
  return { id: sha256(bytes), bytes };
}

/** The session in `bytes`, checked against its reference (size and sha256). */
export function decodeSession(ref: WorkerSessionRef, bytes: Uint8Array): WorkerSession {
  if (bytes.length !== ref.bytes || sha256(bytes) !== ref.id) {
    throw new ValidationError('session', `the session received (${bytes.length} bytes, sha256 ${sha256(bytes).slice(0, 12)}…) is not ${ref.id.slice(0, 12)}… (${ref.bytes} bytes)`);
  }
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0, true);
  const config = JSON.parse(new TextDecoder().decode(bytes.subarray(4, 4 + n))) as FundConfig;
  return { config, panel: decodePanel(bytes.subarray(4 + n)) };
}

function sha256(b: Uint8Array): string {
  return createHash('sha256').update(b).digest('hex');
}

/** The subject a session's chunks are served on, under the workers' subject prefix. */
export function sessionSubject(prefix: string, id: string): string {
  return `${prefix}.session.${id}`;
}

/** The subject one worker takes a batch of requests on (the agents pinned to it, one message a cycle). */
export function batchSubject(prefix: string, worker: string): string {
  return `${prefix}.pin.${worker}`;
}
