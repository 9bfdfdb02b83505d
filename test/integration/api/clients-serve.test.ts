/**
 * The generated clients against a real `keel serve` (a temporary KEEL_HOME, `keel init`, keys from
 * `keel user add --json`): the TypeScript client lists the funds, reads the kill switch and trips
 * it; the Python client (standard library only, PYTHONPATH=clients/python) sees HALTED, re-arms to
 * REDUCING and gets a typed error for a fund that does not exist. The server checks its answers
 * against the response schemas (KEEL_VALIDATE_RESPONSES reaches the child through the environment).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KeelApiError, KeelClient } from '../../../clients/typescript/keel-client.ts';
import { runKeel, serveKeel, type KeelChild } from '../cli/keel-process.ts';

const run = promisify(execFile);
const REPO = path.resolve(import.meta.dirname, '../../..');

const PYTHON = `
import json, sys
from keel_client import KeelClient, KeelApiError
keel = KeelClient(sys.argv[1], api_key=sys.argv[2])
out = {"before": keel.get_v1_funds_fund_id_kill_switch("main")["tradingState"]}
out["rearm"] = keel.post_v1_funds_fund_id_kill_switch_rearm("main", {"reason": "python client re-arms"})
out["funds"] = [f["id"] for f in keel.get_v1_funds()["funds"]]
out["journal"] = [e["kind"] for e in keel.get_v1_funds_fund_id_journal("main", limit=10)["entries"]]
try:
    keel.get_v1_funds_fund_id("no-such-fund")
except KeelApiError as e:
    out["error"] = {"status": e.status, "code": e.code}
print(json.dumps(out))
`;

describe('generated clients against keel serve', () => {
  const home = mkdtempSync(path.join(tmpdir(), 'keel-clients-'));
  const env = { ...process.env, KEEL_HOME: home, KEEL_LOG_LEVEL: 'error' };
  let server: { url: string; server: KeelChild } | null = null;
  let riskKey = '';

  const keel = async (...args: string[]): Promise<string> => {
    const r = await runKeel(args, env);
    expect(r.code, r.err).toBe(0);
    return r.out;
  };

  beforeAll(async () => {
    await keel('init');
    riskKey = (JSON.parse(await keel('user', 'add', 'rita', '--role', 'risk', '--json')) as { apiKey: string }).apiKey;
    server = await serveKeel(env);
  }, 300_000);
  afterAll(async () => {
    server?.server.child.kill('SIGTERM');
    await server?.server.exited;
    rmSync(home, { recursive: true, force: true });
  });

  it('the TypeScript client reads the funds and the kill switch, and trips it', async () => {
    const api = new KeelClient({ baseUrl: server?.url ?? '', apiKey: riskKey });
    const { funds } = await api.getV1Funds();
    expect(funds.map((f) => f.id)).toEqual(['main']);
    expect(funds[0]?.tradingState).toBe('ACTIVE');
    expect((await api.getV1FundsFundIdKillSwitch({ fundId: 'main' })).tradingState).toBe('ACTIVE');
    const trip = await api.postV1FundsFundIdKillSwitchTrip({ fundId: 'main', body: { reason: 'typescript client trips' } });
    expect(trip).toMatchObject({ tradingState: 'HALTED', from: 'ACTIVE', journalEntry: { kind: 'KILL_SWITCH_TRIP', who: 'rita', rationale: 'typescript client trips' } });
    const state = await api.getV1FundsFundIdKillSwitch({ fundId: 'main' });
    expect(state.tradingState).toBe('HALTED');
    expect(state.lastEvent?.kind).toBe('KILL_SWITCH_TRIP');
    const denied = await api.postV1FundsFundIdKillSwitchTrip({ fundId: 'nope', body: { reason: 'x' } }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(KeelApiError);
    expect(denied).toMatchObject({ status: 404, code: 'KEEL_E_NOT_FOUND' });
  });

  it('the Python client (standard library only) sees HALTED and re-arms', async () => {
    const { stdout } = await run('python3', ['-c', PYTHON, server?.url ?? '', riskKey], { cwd: REPO, env: { ...env, PYTHONPATH: path.join(REPO, 'clients/python') } });
    const out = JSON.parse(stdout) as { before: string; rearm: { tradingState: string; from: string }; funds: string[]; journal: string[]; error: { status: number; code: string } };
    expect(out.before).toBe('HALTED');
    expect(out.rearm).toMatchObject({ tradingState: 'REDUCING', from: 'HALTED' });
    expect(out.funds).toEqual(['main']);
    expect(out.journal.slice(0, 2)).toEqual(['REARM', 'KILL_SWITCH_TRIP']);
    expect(out.error).toEqual({ status: 404, code: 'KEEL_E_NOT_FOUND' });
  });
});
