import { configHash, formatPath, parseFundConfig, type FundConfig } from '../../contracts/index.ts';
import { KeelError } from '../../core/index.ts';
import type { Repos, Store } from '../../store/index.ts';
import { registerFund } from '../live/register.ts';

/** The configuration a fund runs with: the stored version its row points at. */
export interface StoredFundConfig {
  readonly config: FundConfig;
  /** The hash of `config` as parsed today (the stored key when the schema has not grown since). */
  readonly hash: string;
}

/**
 * The fund's config: the version its row points at (`funds.config_hash`), parsed with today's
 * schema (new keys take their defaults). Null when the fund does not exist or has no version.
 */
export async function storedFundConfig(repos: Pick<Repos, 'funds' | 'configVersions'>, fundId: string): Promise<StoredFundConfig | null> {
  const row = await repos.funds.get(fundId);
  if (!row?.configHash) return null;
  const v = await repos.configVersions.get(row.configHash);
  if (!v) return null;
  const config = parseFundConfig(v.config);
  return { config, hash: configHash(config) };
}

/** One field where two configs differ (JSON values; undefined = absent). */
export interface ConfigDifference {
  readonly path: string;
  readonly stored: unknown;
  readonly given: unknown;
}

function diffInto(a: unknown, b: unknown, at: (string | number)[], out: ConfigDifference[]): void {
  if (JSON.stringify(a) === JSON.stringify(b)) return;
  const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diffInto(x, b[i], [...at, i], out));
    return;
  }
  if (isObj(a) && isObj(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) diffInto(a[k], b[k], [...at, k], out);
    return;
  }
  out.push({ path: formatPath(at), stored: a, given: b });
}

/** The fields where `given` differs from `stored`, by path (`agents[2].enabled`). */
export function configDifferences(stored: FundConfig, given: FundConfig): ConfigDifference[] {
  const out: ConfigDifference[] = [];
  diffInto(stored, given, [], out);
  return out;
}

const show = (v: unknown): string => (v === undefined ? '(absent)' : JSON.stringify(v).slice(0, 60));

/** `agents[0].enabled: false → true; fund.totalCapital: …` (the first `max`, then how many more). */
export function describeDifferences(d: readonly ConfigDifference[], max = 5): string {
  const shown = d.slice(0, max).map((x) => `${x.path}: ${show(x.stored)} → ${show(x.given)}`);
  return d.length > max ? `${shown.join('; ')}; and ${d.length - max} more` : shown.join('; ');
}

/** What `resolveFundConfig` found. */
export interface ResolvedFundConfig extends StoredFundConfig {
  /** The fund did not exist and was created from the given config. */
  readonly seeded: boolean;
  /** Where the given config (fund.json) differs from the fund's; it was not applied. */
  readonly drift: readonly ConfigDifference[];
}

/**
 * The config a fund runs with, given a config file's (fund.json's). A fund that does not exist is
 * seeded from the file (once). A fund that exists runs with its stored config, never silently
 * with the file: where the file differs, the differences are returned (to report) and applied
 * only by `keel config apply`. `fundId` picks another fund than the file's.
 */
export async function resolveFundConfig(store: Store, given: FundConfig, o: { readonly fundId?: string; readonly actor: string; readonly now: string }): Promise<ResolvedFundConfig> {
  const fundId = o.fundId ?? given.fund.id;
  const stored = await storedFundConfig(store, fundId);
  if (stored) return { ...stored, seeded: false, drift: fundId === given.fund.id ? configDifferences(stored.config, given) : [] };
  if (fundId !== given.fund.id) throw new KeelError('KEEL_E_NOT_FOUND', `fund ${fundId} does not exist; create it with keel fund create, or list funds with keel fund list`, { field: 'fund' });
  const { hash } = await registerFund(store, given, o.actor, o.now, { note: 'seeded from the config file' });
  return { config: given, hash, seeded: true, drift: [] };
}

/** Creates the fund from `config` when it does not exist yet; never changes an existing fund. */
export async function seedFund(store: Store, config: FundConfig, actor: string, now: string): Promise<boolean> {
  if (await store.funds.get(config.fund.id)) return false;
  await registerFund(store, config, actor, now, { note: 'seeded' });
  return true;
}
