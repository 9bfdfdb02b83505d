import type { Alert } from '../../contracts/index.ts';
import { KeelError, type Logger } from '../../core/index.ts';
import { parseSeverity, type AlertChannel } from './alert-manager.ts';

async function postJson(url: string, body: unknown, what: string, timeoutMs = 5000): Promise<void> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!res.ok) throw new KeelError('KEEL_E_PROVIDER', `${what} webhook answered HTTP ${res.status}`);
}

function text(a: Alert): string {
  return `[${a.severity}] ${a.category}: ${a.title}\n${a.message}`;
}

/** Slack incoming webhook: POST `{ text }`. */
export class SlackChannel implements AlertChannel {
  readonly name = 'slack';
  constructor(private readonly webhookUrl: string) {}
  send(a: Alert): Promise<void> {
    return postJson(this.webhookUrl, { text: text(a) }, 'Slack');
  }
}

/** Discord webhook: POST `{ content }` (2000 characters at most). */
export class DiscordChannel implements AlertChannel {
  readonly name = 'discord';
  constructor(private readonly webhookUrl: string) {}
  send(a: Alert): Promise<void> {
    return postJson(this.webhookUrl, { content: text(a).slice(0, 2000) }, 'Discord');
  }
}

/** Telegram Bot API: POST `/bot<token>/sendMessage` `{ chat_id, text }`. */
export class TelegramChannel implements AlertChannel {
  readonly name = 'telegram';
  constructor(
    private readonly token: string,
    private readonly chatId: string,
    private readonly apiUrl = 'https://api.telegram.org',
  ) {}
  send(a: Alert): Promise<void> {
    return postJson(`${this.apiUrl}/bot${this.token}/sendMessage`, { chat_id: this.chatId, text: text(a) }, 'Telegram');
  }
}

/** Writes alerts to the structured log. Always on. */
export class LogChannel implements AlertChannel {
  readonly name = 'log';
  constructor(private readonly logger: Logger) {}
  send(a: Alert): Promise<void> {
    const level = a.severity === 'CRITICAL' || a.severity === 'HIGH' ? 'error' : a.severity === 'MEDIUM' ? 'warn' : 'info';
    this.logger.log(level, a.title, { alertId: a.id, traceId: a.traceId, category: a.category, message: a.message });
    return Promise.resolve();
  }
}

/**
 * Channels from the environment (seed variables): SLACK_WEBHOOK_URL, DISCORD_WEBHOOK_URL,
 * TELEGRAM_BOT_TOKEN + TELEGRAM_CHAT_ID (TELEGRAM_API_URL overrides the API host), plus the log.
 */
export function channelsFromEnv(env: Readonly<Record<string, string | undefined>>, logger: Logger): AlertChannel[] {
  const out: AlertChannel[] = [new LogChannel(logger)];
  if (env.SLACK_WEBHOOK_URL) out.push(new SlackChannel(env.SLACK_WEBHOOK_URL));
  if (env.DISCORD_WEBHOOK_URL) out.push(new DiscordChannel(env.DISCORD_WEBHOOK_URL));
  if (env.TELEGRAM_BOT_TOKEN && env.TELEGRAM_CHAT_ID) {
    out.push(new TelegramChannel(env.TELEGRAM_BOT_TOKEN, env.TELEGRAM_CHAT_ID, env.TELEGRAM_API_URL));
  }
  return out;
}

/** Alert settings from the environment: ALERT_DEDUP_WINDOW (seconds), MONITOR_NOTIFY_LEVEL. */
export function alertSettingsFromEnv(env: Readonly<Record<string, string | undefined>>, defaultWindowSec: number) {
  const w = Number(env.ALERT_DEDUP_WINDOW);
  return {
    dedupWindowSec: Number.isFinite(w) && w >= 0 && env.ALERT_DEDUP_WINDOW !== undefined ? w : defaultWindowSec,
    minSeverity: parseSeverity(env.MONITOR_NOTIFY_LEVEL === 'INFO' ? 'LOW' : env.MONITOR_NOTIFY_LEVEL, 'LOW'),
  };
}
