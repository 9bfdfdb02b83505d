import { randomBytes } from 'node:crypto';
import { mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sha256Hex } from '../core/index.ts';
import { decodePanel, encodePanel, type Panel } from '../market/index.ts';
import type { MarketRevision } from '../store/index.ts';

/**
 * The loaded market on disk, so a start does not rebuild the panel from every stored bar (4 s for
 * 500 names × 6 years on the 2-core machine; the first Morning Pack after a server start waited
 * for it). A file holds one load: the panel (bit for bit: panel-codec) and the quality scores,
 * named by the stored market's revision (migration 0007: every write to what a load reads moves
 * it on), the `to` date and MARKET_CACHE_VERSION. So a file is only ever read for the exact
 * state of the market it was built from; anything else is a miss, and the load goes to the store.
 * Files are written whole under a temporary name and renamed; a file that does not decode is
 * deleted and the load goes to the store.
 */

/** Bump when loadMarket, panelFromBars or the panel codec change what a load builds. */
export const MARKET_CACHE_VERSION = 1;
/** Loads kept (the newest by write time): the latest market, and a replay's or a risk check's earlier `to`. */
const KEEP = 3;
const PREFIX = 'market-';
const SUFFIX = '.panel';

/** Where Keel's home keeps its cached loads (safe to delete). */
export function marketCacheDir(home: string): string {
  return path.join(home, 'cache');
}

export interface CachedMarket {
  readonly panel: Panel;
  readonly quality: ReadonlyMap<string, number>;
}

/** The file name of a load of this revision up to `to` (null: the store has no revision to name it by). */
export function marketCacheName(rev: MarketRevision, to: string | undefined): string | null {
  if (rev.epoch === '' || !(rev.revision >= 0)) return null;
  return `${PREFIX}${sha256Hex(JSON.stringify([MARKET_CACHE_VERSION, rev.epoch, rev.revision, to ?? null])).slice(0, 32)}${SUFFIX}`;
}

/** The cached load, or null when there is none or it does not decode (then it is deleted). */
export async function readCachedMarket(dir: string, name: string): Promise<CachedMarket | null> {
  const file = path.join(dir, name);
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch {
    return null;
  }
  try {
    const headLength = bytes.readUInt32LE(0);
    const head = JSON.parse(bytes.subarray(4, 4 + headLength).toString('utf8')) as { name: string; quality: [string, number][] };
    if (head.name !== name) throw new Error('another load');
    const at = Math.ceil((4 + headLength) / 8) * 8;
    // decodePanel copies each field out of the bytes, so they need no aligned copy of their own
    const panel = decodePanel(new Uint8Array(bytes.buffer, bytes.byteOffset + at, bytes.byteLength - at));
    return { panel, quality: new Map(head.quality) };
  } catch {
    await rm(file, { force: true });
    return null;
  }
}

/** Writes a load under its name (whole or not at all) and keeps the KEEP newest loads. */
export async function writeCachedMarket(dir: string, name: string, market: CachedMarket): Promise<void> {
  await mkdir(dir, { recursive: true });
  const head = Buffer.from(JSON.stringify({ name, quality: [...market.quality] }), 'utf8');
  // the length, the header and its padding to 8 bytes, then the panel as encoded (written as two pieces, not copied into one)
  const prefix = Buffer.alloc(Math.ceil((4 + head.length) / 8) * 8);
  prefix.writeUInt32LE(head.length, 0);
  head.copy(prefix, 4);
  const panel = encodePanel(market.panel);
  const tmp = path.join(dir, `${name}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    const file = await open(tmp, 'w');
    try {
      const { bytesWritten } = await file.writev([prefix, panel]);
      if (bytesWritten !== prefix.byteLength + panel.byteLength) throw new Error(`wrote ${bytesWritten} of ${prefix.byteLength + panel.byteLength} bytes`);
    } finally {
      await file.close();
    }
    await rename(tmp, path.join(dir, name));
  } finally {
    await rm(tmp, { force: true });
  }
  await prune(dir);
}

async function prune(dir: string): Promise<void> {
  const names = (await readdir(dir)).filter((n) => n.startsWith(PREFIX) && n.endsWith(SUFFIX));
  if (names.length <= KEEP) return;
  const dated = await Promise.all(names.map(async (n) => ({ n, t: (await stat(path.join(dir, n)).catch(() => null))?.mtimeMs ?? 0 })));
  dated.sort((a, b) => b.t - a.t);
  for (const { n } of dated.slice(KEEP)) await rm(path.join(dir, n), { force: true });
}
