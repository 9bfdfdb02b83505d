// A local stand-in for the FRED API's series observations, written from FRED's documentation
// (api.stlouisfed.org/docs/fred/series_observations.html, realtime_period.html):
// - GET /fred/series/observations?series_id&api_key&file_type=json&observation_start&observation_end
//   &limit (1..100000, default 100000)&offset&sort_order → { realtime_start, realtime_end,
//   observation_start, observation_end, units, output_type, file_type, order_by, sort_order, count,
//   offset, limit, observations: [{ realtime_start, realtime_end, date, value }] }; a missing value
//   is the string ".". The real-time period defaults to today.
// - Errors `{ error_code, error_message }`: 400 when api_key is not set, not a 32-character
//   lower-case alphanumeric string or not registered, when the series does not exist, or a date
//   or number is malformed; 429 "Too Many Requests. Exceeded Rate Limit" (120 requests a minute).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DatedRecords, FakeApi, sendJson } from './local-server.ts';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class FakeFred extends FakeApi {
  readonly apiKey = 'abcdefabcdefabcdefabcdefabcdef12';
  /** Observations by series id; null is published as ".". */
  private readonly series = new DatedRecords<{ readonly date: string; readonly value: number | null }>();
  /** Observations dated after this are not published yet. */
  publishedThrough: string | null = null;

  addObservations(id: string, obs: ReadonlyArray<{ date: string; value: number | null }>): void {
    this.series.add(id, obs);
  }

  protected handle(_req: IncomingMessage, url: URL, res: ServerResponse): void {
    const bad = (message: string) => sendJson(res, 400, { error_code: 400, error_message: `Bad Request.  ${message}` });
    if (url.pathname !== '/fred/series/observations') return sendJson(res, 404, { error_code: 404, error_message: 'Not Found' });
    const failure = this.scripted();
    if (failure) {
      const message = failure.status === 429 ? 'Too Many Requests.  Exceeded Rate Limit' : 'Internal Server Error';
      return sendJson(res, failure.status, { error_code: failure.status, error_message: message }, failure.headers);
    }
    const q = url.searchParams;
    const key = q.get('api_key');
    if (!key) return bad('Variable api_key is not set. Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.');
    if (!/^[a-z0-9]{32}$/.test(key)) return bad('Variable api_key is not a 32 character alpha-numeric lower-case string. Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.');
    if (key !== this.apiKey) return bad('The value for variable api_key is not registered. Read https://fred.stlouisfed.org/docs/api/api_key.html for more information.');
    if (q.get('file_type') !== 'json') return bad('this fake answers file_type=json only.');
    const id = q.get('series_id') ?? '';
    const list = this.series.get(id);
    if (!list) return bad('The series does not exist.');
    const start = q.get('observation_start') ?? '1776-07-04';
    const end = q.get('observation_end') ?? '9999-12-31';
    if (!DATE.test(start)) return bad('Variable observation_start is not a valid date.');
    if (!DATE.test(end)) return bad('Variable observation_end is not a valid date.');
    const limit = Number(q.get('limit') ?? 100_000);
    const offset = Number(q.get('offset') ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100_000) return bad('Variable limit is not between 1 and 100000.');
    if (!Number.isInteger(offset) || offset < 0) return bad('Variable offset is not 0 or a positive integer.');
    const today = new Date().toISOString().slice(0, 10);
    const inRange = list.filter((o) => o.date >= start && o.date <= end && (this.publishedThrough === null || o.date <= this.publishedThrough));
    const page = inRange.slice(offset, offset + limit);
    sendJson(res, 200, {
      realtime_start: today,
      realtime_end: today,
      observation_start: start,
      observation_end: end,
      units: 'lin',
      output_type: 1,
      file_type: 'json',
      order_by: 'observation_date',
      sort_order: 'asc',
      count: inRange.length,
      offset,
      limit,
      observations: page.map((o) => ({ realtime_start: today, realtime_end: today, date: o.date, value: o.value === null ? '.' : String(o.value) })),
    });
  }
}
