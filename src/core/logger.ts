/** Structured logging. The core logs through an injected Logger; the shell writes JSON lines. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
}

const SECRET_KEY = /(secret|password|api[_-]?key|token|authorization)/i;

/** Replaces values whose key looks secret, so keys never reach a log line. */
export function redact(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = SECRET_KEY.test(k) ? '[redacted]' : v;
  }
  return out;
}

/** Writes one JSON object a line to a sink (stderr by default). */
export class JsonLogger implements Logger {
  constructor(
    private readonly sink: (line: string) => void,
    private readonly base: Record<string, unknown> = {},
    private readonly minLevel: LogLevel = 'info',
    private readonly now: () => number = () => Date.now(),
  ) {}

  log(level: LogLevel, msg: string, fields: Record<string, unknown> = {}): void {
    if (LEVELS[level] < LEVELS[this.minLevel]) return;
    const line = { ts: new Date(this.now()).toISOString(), level, msg, ...redact({ ...this.base, ...fields }) };
    this.sink(JSON.stringify(line));
  }

  child(fields: Record<string, unknown>): Logger {
    return new JsonLogger(this.sink, { ...this.base, ...fields }, this.minLevel, this.now);
  }
}

const LEVELS: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Discards everything: the Null logger for tests and quiet runs. */
export const nullLogger: Logger = {
  log: () => undefined,
  child: () => nullLogger,
};
