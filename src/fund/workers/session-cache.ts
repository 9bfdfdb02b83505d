import type { FundConfig } from '../../contracts/index.ts';
import type { Panel } from '../../market/index.ts';
import { encodeSession } from './session.ts';

/** Sessions a fund's process keeps ready to send; older ones are dropped (a worker that still needs one has moved on). */
const KEPT_SESSIONS = 2;

export interface EncodedSession {
  readonly id: string;
  readonly bytes: Uint8Array;
  /** True the first time this session is encoded (the channel starts serving it). */
  readonly isNew: boolean;
}

/** The fund's process encodes a run's session once per (config, panel) and keeps the last two by id. */
export class SessionCache {
  private readonly byPanel = new WeakMap<Panel, Map<FundConfig, string>>();
  private readonly bytes = new Map<string, Uint8Array>();

  encode(config: FundConfig, panel: Panel): EncodedSession {
    let perConfig = this.byPanel.get(panel);
    if (!perConfig) this.byPanel.set(panel, (perConfig = new Map()));
    const known = perConfig.get(config);
    const kept = known === undefined ? undefined : this.bytes.get(known);
    if (known !== undefined && kept) return { id: known, bytes: kept, isNew: false };
    const { id, bytes } = encodeSession(config, panel);
    perConfig.set(config, id);
    this.bytes.set(id, bytes);
    for (const old of this.bytes.keys()) if (this.bytes.size > KEPT_SESSIONS && old !== id) this.bytes.delete(old);
    return { id, bytes, isNew: true };
  }

  /** The bytes of a session still kept, by id. */
  get(id: string): Uint8Array | undefined {
    return this.bytes.get(id);
  }
}
