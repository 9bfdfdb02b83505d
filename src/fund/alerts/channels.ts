import type { Alert } from '../../contracts/index.ts';
import { KeelError, type Logger } from '../../core/index.ts';
import type { AlertChannel } from './alert-manager.ts';

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

/** Where alerts go besides the log (the kernel reads these from the environment table). */
export interface AlertChannelSettings {
  readonly slackWebhookUrl: string | null;
  readonly discordWebhookUrl: string | null;
  readonly telegramBotToken: string | null;
  readonly telegramChatId: string | null;
  readonly telegramApiUrl: string | null;
}

/** The log, plus Slack, Discord and Telegram when configured. */
export function alertChannels(s: AlertChannelSettings, logger: Logger): AlertChannel[] {
  const out: AlertChannel[] = [new LogChannel(logger)];
  if (s.slackWebhookUrl !== null) out.push(new SlackChannel(s.slackWebhookUrl));
  if (s.discordWebhookUrl !== null) out.push(new DiscordChannel(s.discordWebhookUrl));
  if (s.telegramBotToken !== null && s.telegramChatId !== null) {
    out.push(s.telegramApiUrl !== null ? new TelegramChannel(s.telegramBotToken, s.telegramChatId, s.telegramApiUrl) : new TelegramChannel(s.telegramBotToken, s.telegramChatId));
  }
  return out;
}
