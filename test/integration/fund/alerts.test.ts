import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SequentialIds, SimClock, nullLogger } from '../../../src/core/index.ts';
import { AlertManager, DiscordChannel, SlackChannel, TelegramChannel, alertChannels, readEnv } from '../../../src/fund/index.ts';

interface Received {
  path: string;
  body: Record<string, unknown>;
}

let server: Server;
let base = '';
const received: Received[] = [];
let failNext = false;

async function readBody(req: IncomingMessage): Promise<string> {
  let s = '';
  for await (const chunk of req) s += String(chunk);
  return s;
}

beforeAll(async () => {
  server = createServer((req, res) => {
    void readBody(req).then((b) => {
      if (failNext) {
        failNext = false;
        res.writeHead(500).end();
        return;
      }
      received.push({ path: req.url ?? '', body: JSON.parse(b) as Record<string, unknown> });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const kill = {
  severity: 'CRITICAL' as const,
  category: 'RISK' as const,
  title: 'Kill switch: fund drawdown',
  message: 'Fund drawdown 5.2% passed 5%',
  dedupKey: 'kill:fund_drawdown',
};

describe('alerts reach Slack, Discord and Telegram receivers, deduplicated', () => {
  it('delivers each channel its documented payload', async () => {
    received.length = 0;
    const clock = new SimClock(Date.UTC(2024, 0, 2));
    const m = new AlertManager({
      clock,
      ids: new SequentialIds('t'),
      logger: nullLogger,
      channels: [
        new SlackChannel(`${base}/slack`),
        new DiscordChannel(`${base}/discord`),
        new TelegramChannel('TOKEN123', '42', base),
      ],
    });
    expect(m.raise(kill)).not.toBeNull();
    await m.flush();
    const byPath = new Map(received.map((r) => [r.path, r.body]));
    expect(String(byPath.get('/slack')?.text)).toContain('[CRITICAL] RISK: Kill switch: fund drawdown');
    expect(String(byPath.get('/discord')?.content)).toContain('Fund drawdown 5.2%');
    expect(byPath.get('/botTOKEN123/sendMessage')).toMatchObject({ chat_id: '42' });
  });

  it('merges repeats inside the 10-minute window and sends again after it', async () => {
    received.length = 0;
    const clock = new SimClock(Date.UTC(2024, 0, 2));
    const m = new AlertManager({ clock, ids: new SequentialIds('t'), logger: nullLogger, channels: [new SlackChannel(`${base}/s`)] });
    expect(m.raise(kill)).not.toBeNull();
    clock.advance(9 * 60_000);
    expect(m.raise(kill)).toBeNull();
    expect(m.raise({ ...kill, dedupKey: 'other' })).not.toBeNull();
    clock.advance(60_001);
    const again = m.raise(kill);
    expect(again?.message).toContain('1 similar alert(s) merged');
    await m.flush();
    expect(received).toHaveLength(3);
  });

  it('a failing channel does not break the caller, and low alerts stay below the notify level', async () => {
    received.length = 0;
    failNext = true;
    const logged: string[] = [];
    const logger = { log: (_l: string, msg: string) => void logged.push(msg), child: () => logger };
    const m = new AlertManager({
      clock: new SimClock(0),
      ids: new SequentialIds('t'),
      logger,
      minSeverity: 'HIGH',
      channels: [new SlackChannel(`${base}/s`)],
    });
    m.raise(kill);
    m.raise({ ...kill, severity: 'LOW', dedupKey: 'low' });
    await m.flush();
    expect(logged).toContain('alert channel failed');
    expect(received).toHaveLength(0);
    expect(m.drain()).toHaveLength(2);
  });

  it('builds channels from the environment table', () => {
    const names = alertChannels(readEnv({ SLACK_WEBHOOK_URL: 'http://x', TELEGRAM_BOT_TOKEN: 't', TELEGRAM_CHAT_ID: '1' }, '/').alerts, nullLogger).map((c) => c.name);
    expect(names).toEqual(['log', 'slack', 'telegram']);
  });
});
