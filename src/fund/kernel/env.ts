import path from 'node:path';
import { ValidationError } from '../../core/index.ts';

/** One environment variable Keel reads: its name, what it means, its default and who reads it. */
export interface EnvVar {
  readonly name: string;
  readonly meaning: string;
  /** What applies when it is unset ('' = nothing: the feature is off). */
  readonly default: string;
  /** The part of Keel that uses the value (the kernel reads it; this part receives it). */
  readonly readBy: string;
}

/**
 * Every environment variable Keel reads, in one table (docs/operations.md prints the same table;
 * a test fails when code reads a variable that is not here or the doc drifts from it). They are
 * read once, by `readEnv` at the composition root (the kernel), and passed down as `KeelEnv`.
 */
export const ENV_VARS: readonly EnvVar[] = [
  { name: 'KEEL_HOME', meaning: "Keel's home: fund.json, the embedded database (db/), kill-switch files, cached market loads (cache/, safe to delete: docs/storage.md)", default: './.keel', readBy: 'kernel (store, config, kill switch)' },
  { name: 'DATABASE_URL', meaning: 'postgres://… selects a PostgreSQL server instead of the embedded PGlite store', default: '', readBy: 'kernel (store)' },
  { name: 'KEEL_LOG_LEVEL', meaning: 'debug, info, warn or error', default: 'info (daemon, serve), warn (other commands)', readBy: 'kernel (logger), keel serve' },
  { name: 'HEARTBEAT_INTERVAL', meaning: "seconds between the daemon's heartbeat log lines", default: '3600', readBy: 'keel daemon' },
  { name: 'USER', meaning: 'who the CLI records as the actor of a change when --by is not given', default: 'cli', readBy: 'CLI (audit actor)' },
  { name: 'APCA_API_KEY_ID', meaning: 'Alpaca API key id (trading and market data)', default: '', readBy: 'kernel (Alpaca broker, Alpaca market data)' },
  { name: 'APCA_API_SECRET_KEY', meaning: 'Alpaca API secret key', default: '', readBy: 'kernel (Alpaca broker, Alpaca market data)' },
  { name: 'APCA_API_BASE_URL', meaning: "Alpaca Trading API base URL; overrides the fund's execution.alpaca.endpoint", default: 'https://paper-api.alpaca.markets (endpoint paper), https://api.alpaca.markets (live)', readBy: 'kernel (Alpaca broker, asset list)' },
  { name: 'APCA_API_DATA_URL', meaning: 'Alpaca Market Data API base URL', default: 'https://data.alpaca.markets', readBy: 'kernel (market data router)' },
  { name: 'POLYGON_API_KEY', meaning: 'Polygon.io API key; adds Polygon to the market data router', default: '', readBy: 'kernel (market data router)' },
  { name: 'POLYGON_BASE_URL', meaning: 'Polygon.io base URL', default: 'https://api.polygon.io', readBy: 'kernel (market data router)' },
  { name: 'FRED_API_KEY', meaning: 'FRED API key; adds FRED macro series to the market data router', default: '', readBy: 'kernel (market data router)' },
  { name: 'FRED_BASE_URL', meaning: 'FRED API base URL', default: 'https://api.stlouisfed.org', readBy: 'kernel (market data router)' },
  { name: 'NATS_URL', meaning: 'nats://… puts the event bus on NATS JetStream instead of in-process, and reaches NATS remote agents and agent workers (`keel agents serve`)', default: '', readBy: 'kernel (bus)' },
  { name: 'SLACK_WEBHOOK_URL', meaning: 'Slack incoming webhook for alerts', default: '', readBy: 'kernel (alert channels)' },
  { name: 'DISCORD_WEBHOOK_URL', meaning: 'Discord webhook for alerts', default: '', readBy: 'kernel (alert channels)' },
  { name: 'TELEGRAM_BOT_TOKEN', meaning: 'Telegram bot token for alerts (with TELEGRAM_CHAT_ID)', default: '', readBy: 'kernel (alert channels)' },
  { name: 'TELEGRAM_CHAT_ID', meaning: 'Telegram chat that receives alerts', default: '', readBy: 'kernel (alert channels)' },
  { name: 'TELEGRAM_API_URL', meaning: 'Telegram Bot API host', default: 'https://api.telegram.org', readBy: 'kernel (alert channels)' },
  { name: 'ALERT_DEDUP_WINDOW', meaning: "seconds within which alerts with the same key are merged; overrides the fund's alerts.dedupWindowSec", default: 'alerts.dedupWindowSec (600)', readBy: 'kernel (alert manager)' },
  { name: 'MONITOR_NOTIFY_LEVEL', meaning: 'lowest alert severity sent to the channels (INFO/LOW, MEDIUM, HIGH, CRITICAL); all are stored', default: 'LOW', readBy: 'kernel (alert manager)' },
  { name: 'KEEL_CORS_ORIGINS', meaning: 'comma-separated origins the API allows (CORS)', default: '(none: closed)', readBy: 'keel serve' },
  { name: 'KEEL_LLM_URL', meaning: 'morning-pack narrator endpoint', default: '(template only)', readBy: 'keel serve' },
  { name: 'KEEL_RATE_LIMIT_PER_MIN', meaning: 'API requests per minute per credential', default: '6000', readBy: 'keel serve' },
  { name: 'KEEL_JOB_QUEUE_MAX', meaning: "how many of the API's backtests may wait QUEUED at once; one more is refused with 429 KEEL_E_RATE_LIMITED until a job starts", default: '50', readBy: 'keel serve' },
  { name: 'KEEL_VALIDATE_RESPONSES', meaning: "1: check every JSON answer of the API against its route's response schema (a mismatch answers 500 KEEL_E_INVARIANT naming the route and field); on in the test suites", default: 'off', readBy: 'keel serve' },
  { name: 'KEEL_JOB_CONCURRENCY', meaning: "how many of the API's background jobs (backtests) run at once, each in a worker thread; more wait QUEUED", default: 'CPU cores − 1, at least 1', readBy: 'keel serve' },
];

export type Severity = 'LOW' | 'MEDIUM' | 'HIGH' | 'CRITICAL';
export type LogLevelName = 'debug' | 'info' | 'warn' | 'error';

/** The environment, read and checked once. Unset values are null. */
export interface KeelEnv {
  readonly home: string;
  readonly databaseUrl: string | null;
  readonly logLevel: LogLevelName | null;
  readonly heartbeatSec: number;
  readonly user: string;
  readonly alpaca: { readonly keyId: string | null; readonly secretKey: string | null; readonly baseUrl: string | null; readonly dataUrl: string | null };
  readonly polygon: { readonly apiKey: string | null; readonly baseUrl: string | null };
  readonly fred: { readonly apiKey: string | null; readonly baseUrl: string | null };
  readonly natsUrl: string | null;
  readonly alerts: {
    readonly slackWebhookUrl: string | null;
    readonly discordWebhookUrl: string | null;
    readonly telegramBotToken: string | null;
    readonly telegramChatId: string | null;
    readonly telegramApiUrl: string | null;
    readonly dedupWindowSec: number | null;
    readonly minSeverity: Severity;
  };
  readonly api: { readonly corsOrigins: readonly string[]; readonly llmUrl: string | null; readonly rateLimitPerMin: number | null; readonly jobConcurrency: number | null; readonly jobQueueMax: number | null; readonly validateResponses: boolean };
}

type RawEnv = Readonly<Record<string, string | undefined>>;

const KNOWN = new Set(ENV_VARS.map((v) => v.name));

/** The value of a table variable ('' counts as unset). */
function get(env: RawEnv, name: string): string | null {
  if (!KNOWN.has(name)) throw new Error(`${name} is not in the environment table (src/fund/kernel/env.ts)`);
  const v = env[name];
  return v === undefined || v === '' ? null : v;
}

function number(env: RawEnv, name: string, check: (n: number) => boolean, what: string): number | null {
  const v = get(env, name);
  if (v === null) return null;
  const n = Number(v);
  if (!Number.isFinite(n) || !check(n)) throw new ValidationError(name, `must be ${what}, got '${v}'`);
  return n;
}

/** A 0/1 switch ('' and unset are off). */
function flag(env: RawEnv, name: string): boolean {
  const v = get(env, name);
  if (v === null || v === '0') return false;
  if (v === '1') return true;
  throw new ValidationError(name, `must be 1 or 0, got '${v}'`);
}

function severity(v: string | null): Severity {
  if (v === null) return 'LOW';
  const u = v.toUpperCase();
  if (u === 'INFO' || u === 'LOW') return 'LOW';
  if (u === 'MEDIUM' || u === 'HIGH' || u === 'CRITICAL') return u;
  throw new ValidationError('MONITOR_NOTIFY_LEVEL', `must be INFO, LOW, MEDIUM, HIGH or CRITICAL, got '${v}'`);
}

function logLevel(v: string | null): LogLevelName | null {
  if (v === null) return null;
  if (v === 'debug' || v === 'info' || v === 'warn' || v === 'error') return v;
  throw new ValidationError('KEEL_LOG_LEVEL', `must be debug, info, warn or error, got '${v}'`);
}

function url(env: RawEnv, name: string, scheme: RegExp, example: string): string | null {
  const v = get(env, name);
  if (v !== null && !scheme.test(v)) throw new ValidationError(name, `'${v.replace(/:[^:@/]*@/, ':***@')}' must start with ${example}`);
  return v;
}

/**
 * Reads every variable of `ENV_VARS` from `env` (the process environment, or a test's), checks
 * the values, and resolves KEEL_HOME against `cwd`. Throws a ValidationError naming the variable.
 */
export function readEnv(env: RawEnv, cwd: string): KeelEnv {
  const home = get(env, 'KEEL_HOME');
  return {
    home: path.resolve(cwd, home ?? '.keel'),
    databaseUrl: url(env, 'DATABASE_URL', /^postgres(ql)?:\/\//, 'postgres://'),
    logLevel: logLevel(get(env, 'KEEL_LOG_LEVEL')),
    heartbeatSec: number(env, 'HEARTBEAT_INTERVAL', (n) => Number.isInteger(n) && n >= 1, 'a whole number of seconds ≥ 1') ?? 3600,
    user: get(env, 'USER') ?? 'cli',
    alpaca: {
      keyId: get(env, 'APCA_API_KEY_ID'),
      secretKey: get(env, 'APCA_API_SECRET_KEY'),
      baseUrl: url(env, 'APCA_API_BASE_URL', /^https?:\/\//, 'http:// or https://'),
      dataUrl: url(env, 'APCA_API_DATA_URL', /^https?:\/\//, 'http:// or https://'),
    },
    polygon: { apiKey: get(env, 'POLYGON_API_KEY'), baseUrl: url(env, 'POLYGON_BASE_URL', /^https?:\/\//, 'http:// or https://') },
    fred: { apiKey: get(env, 'FRED_API_KEY'), baseUrl: url(env, 'FRED_BASE_URL', /^https?:\/\//, 'http:// or https://') },
    natsUrl: url(env, 'NATS_URL', /^(nats|tls|wss?):\/\//, 'nats://'),
    alerts: {
      slackWebhookUrl: get(env, 'SLACK_WEBHOOK_URL'),
      discordWebhookUrl: get(env, 'DISCORD_WEBHOOK_URL'),
      telegramBotToken: get(env, 'TELEGRAM_BOT_TOKEN'),
      telegramChatId: get(env, 'TELEGRAM_CHAT_ID'),
      telegramApiUrl: get(env, 'TELEGRAM_API_URL'),
      dedupWindowSec: number(env, 'ALERT_DEDUP_WINDOW', (n) => n >= 0, 'a number of seconds ≥ 0'),
      minSeverity: severity(get(env, 'MONITOR_NOTIFY_LEVEL')),
    },
    api: {
      corsOrigins: (get(env, 'KEEL_CORS_ORIGINS') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== ''),
      llmUrl: get(env, 'KEEL_LLM_URL'),
      rateLimitPerMin: number(env, 'KEEL_RATE_LIMIT_PER_MIN', (n) => n > 0, 'a positive number'),
      jobConcurrency: number(env, 'KEEL_JOB_CONCURRENCY', (n) => Number.isInteger(n) && n >= 1, 'a whole number ≥ 1'),
      jobQueueMax: number(env, 'KEEL_JOB_QUEUE_MAX', (n) => Number.isInteger(n) && n >= 0, 'a whole number ≥ 0'),
      validateResponses: flag(env, 'KEEL_VALIDATE_RESPONSES'),
    },
  };
}
