import type { Db } from '../db.ts';

/** End-of-day NAV of the fund (`agentId` '') or one agent's book. Money in dollars, to the cent. */
export interface NavPoint {
  readonly fundId: string;
  readonly agentId: string;
  readonly date: string;
  readonly nav: number;
  readonly cash: number;
  readonly grossExposure: number;
  readonly netExposure: number;
  readonly highWaterMark: number;
  /** Simple return over the previous point (0.01 = 1%), null on the first day. */
  readonly dailyReturn: number | null;
  /** nav / highWaterMark − 1, ≤ 0. */
  readonly drawdown: number;
}

export class NavRepo {
  constructor(private readonly db: Db) {}

  /** Inserts or replaces points by (fund, agent, date). */
  async upsert(points: readonly NavPoint[]): Promise<void> {
    if (points.length === 0) return;
    const col = <K extends keyof NavPoint>(k: K): NavPoint[K][] => points.map((p) => p[k]);
    await this.db.query(
      `INSERT INTO nav_history (fund_id, agent_id, date, nav, cash, gross_exposure, net_exposure, high_water_mark,
         daily_return, drawdown)
       SELECT * FROM unnest($1::text[], $2::text[], $3::date[], $4::numeric[], $5::numeric[], $6::numeric[],
                            $7::numeric[], $8::numeric[], $9::float8[], $10::float8[])
       ON CONFLICT (fund_id, agent_id, date) DO UPDATE SET nav = EXCLUDED.nav, cash = EXCLUDED.cash,
         gross_exposure = EXCLUDED.gross_exposure, net_exposure = EXCLUDED.net_exposure,
         high_water_mark = EXCLUDED.high_water_mark, daily_return = EXCLUDED.daily_return, drawdown = EXCLUDED.drawdown`,
      [col('fundId'), col('agentId'), col('date'), col('nav'), col('cash'), col('grossExposure'), col('netExposure'),
        col('highWaterMark'), col('dailyReturn'), col('drawdown')],
    );
  }

  /** History in date order; inclusive `YYYY-MM-DD` bounds. */
  async history(fundId: string, opts: { agentId?: string; from?: string; to?: string } = {}): Promise<NavPoint[]> {
    const r = await this.db.query<NavPoint>(
      `SELECT fund_id AS "fundId", agent_id AS "agentId", date, nav, cash, gross_exposure AS "grossExposure",
         net_exposure AS "netExposure", high_water_mark AS "highWaterMark", daily_return AS "dailyReturn", drawdown
       FROM nav_history WHERE fund_id = $1 AND agent_id = $2 AND ($3::date IS NULL OR date >= $3)
         AND ($4::date IS NULL OR date <= $4) ORDER BY date`,
      [fundId, opts.agentId ?? '', opts.from ?? null, opts.to ?? null],
    );
    return r.rows;
  }

  /**
   * The last `n` points of each agent's book (not the fund's), newest first, dated `asOf` or
   * earlier when given; ordered by agent, then date descending.
   */
  async latestPerAgent(fundId: string, o: { readonly asOf?: string | null; readonly n: number }): Promise<NavPoint[]> {
    const r = await this.db.query<NavPoint>(
      `SELECT "fundId", "agentId", date, nav, cash, "grossExposure", "netExposure", "highWaterMark", "dailyReturn", drawdown
       FROM (SELECT fund_id AS "fundId", agent_id AS "agentId", date, nav, cash, gross_exposure AS "grossExposure",
               net_exposure AS "netExposure", high_water_mark AS "highWaterMark", daily_return AS "dailyReturn", drawdown,
               row_number() OVER (PARTITION BY agent_id ORDER BY date DESC) AS k
             FROM nav_history WHERE fund_id = $1 AND agent_id <> '' AND ($2::date IS NULL OR date <= $2::date)) p
       WHERE k <= $3 ORDER BY "agentId", date DESC`,
      [fundId, o.asOf ?? null, o.n],
    );
    return r.rows;
  }

  /** The latest point dated `date` (YYYY-MM-DD) or earlier, if any: one row where `history(…, { to })` reads them all. */
  async onOrBefore(fundId: string, date: string, agentId = ''): Promise<NavPoint | undefined> {
    const rows = await this.db.query<NavPoint>(
      `SELECT fund_id AS "fundId", agent_id AS "agentId", date, nav, cash, gross_exposure AS "grossExposure",
         net_exposure AS "netExposure", high_water_mark AS "highWaterMark", daily_return AS "dailyReturn", drawdown
       FROM nav_history WHERE fund_id = $1 AND agent_id = $2 AND date <= $3::date ORDER BY date DESC LIMIT 1`,
      [fundId, agentId, date],
    );
    return rows.rows[0];
  }

  /** The latest point, if any. */
  async latest(fundId: string, agentId = ''): Promise<NavPoint | undefined> {
    const rows = await this.db.query<NavPoint>(
      `SELECT fund_id AS "fundId", agent_id AS "agentId", date, nav, cash, gross_exposure AS "grossExposure",
         net_exposure AS "netExposure", high_water_mark AS "highWaterMark", daily_return AS "dailyReturn", drawdown
       FROM nav_history WHERE fund_id = $1 AND agent_id = $2 ORDER BY date DESC LIMIT 1`,
      [fundId, agentId],
    );
    return rows.rows[0];
  }
}
