import type { Clock } from '../core/index.ts';
import type { ExecutionConfig, Order, OrderStatus } from '../contracts/index.ts';
import type { MarketView } from '../market/index.ts';
import type { Broker, BrokerAccount, BrokerAck, BrokerOrder, BrokerPosition } from './broker.ts';
import { costModelFromConfig, type CostModel, type FillObservation } from './cost-model.ts';
import { isoAt } from './order-events.ts';
import { isTerminal } from './order-state.ts';
import { commissionFor, simulateBarFill, type Bar } from './paper-fill.ts';

/** One simulated execution, with the price before costs (the arrival price for TCA). */
export interface PaperFill {
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly qty: number;
  readonly price: number;
  readonly basePrice: number;
  readonly commission: number;
  readonly at: string;
  /** ADV (shares) and daily σ the impact model used: recorded so the model can be refitted. */
  readonly adv: number;
  readonly sigma: number;
}

/** Paper fills as observations for `fitCostModel` (arrival = the price before costs). */
export function observationsFromPaperFills(fills: readonly PaperFill[]): FillObservation[] {
  return fills.map((f) => ({ side: f.side, qty: f.qty, price: f.price, arrivalPrice: f.basePrice, adv: f.adv, sigmaDaily: f.sigma }));
}

export interface PaperBrokerOptions {
  readonly clock: Clock;
  readonly config: Pick<ExecutionConfig, 'slippageBps' | 'impactK' | 'participationCap' | 'commissionPerShare' | 'commissionMin'>;
  /** 'backtest': fill on the NEXT bar (onBar). 'live': fill at the latest price on submit. */
  readonly mode: 'backtest' | 'live';
  readonly initialCash: number;
  /** Overrides the config's slippage/impact (e.g. a fitted model). */
  readonly costModel?: CostModel;
}

interface Working {
  snap: BrokerOrder;
  triggered: boolean;
  /** First panel row on which the order may trade (backtest). */
  eligibleRow: number;
}

/**
 * The default broker: a deterministic simulator. In backtests an order submitted while the
 * market is at row t trades on row t+1's bar (open, high, low, volume), capped at
 * participationCap × bar volume per symbol per bar; DAY orders expire at that bar's close,
 * IOC keeps what the first bar gives, FOK fills completely on the first bar or is cancelled.
 * In live paper mode orders trade immediately at the latest close of the view (no volume cap).
 */
export class PaperBroker implements Broker {
  private readonly orders_ = new Map<string, Working>();
  /** Working (non-terminal) orders: what a bar can trade, kept apart so a long backtest stays O(open). */
  private readonly active = new Map<string, Working>();
  private readonly pos = new Map<string, { qty: number; avg: number }>();
  private readonly fills_: PaperFill[] = [];
  private cash: number;
  private view: MarketView | null = null;
  private readonly model: CostModel;
  private clock: Clock;

  constructor(private readonly opts: PaperBrokerOptions) {
    this.cash = opts.initialCash;
    this.model = opts.costModel ?? costModelFromConfig(opts.config);
    this.clock = opts.clock;
  }

  /**
   * Sets the market as of now (submissions made now trade from the next row in backtests), and the
   * clock its orders and fills are stamped by from now on (a live cycle on a past session's prices
   * passes that session's clock: `paperSessionClock`).
   */
  setMarket(view: MarketView, clock: Clock = this.clock): void {
    this.view = view;
    this.clock = clock;
  }

  async submit(order: Order): Promise<BrokerAck> {
    const existing = this.orders_.get(order.id);
    if (existing) return this.ackOf(existing.snap, null);
    const at = isoAt(this.clock.now());
    const view = this.view;
    const u = view ? view.column(order.symbol) : -1;
    const reason = !view ? 'no market set' : u < 0 ? `unknown symbol ${order.symbol}` : null;
    const snap: BrokerOrder = {
      clientOrderId: order.id,
      brokerOrderId: `paper-${order.id}`,
      symbol: order.symbol,
      side: order.side,
      type: order.type,
      timeInForce: order.timeInForce,
      qty: order.qty,
      filledQty: 0,
      avgFillPrice: null,
      limitPrice: order.limitPrice,
      stopPrice: order.stopPrice,
      status: reason ? 'REJECTED' : 'ACKNOWLEDGED',
      commission: 0,
      createdAt: at,
      updatedAt: at,
    };
    const w: Working = { snap, triggered: false, eligibleRow: (view?.t ?? 0) + 1 };
    this.orders_.set(order.id, w);
    if (!isTerminal(w.snap.status)) this.active.set(order.id, w);
    if (!reason && this.opts.mode === 'live' && view) this.tradeLive(w, view);
    return this.ackOf(w.snap, reason);
  }

  private ackOf(s: BrokerOrder, reason: string | null): BrokerAck {
    return { clientOrderId: s.clientOrderId, brokerOrderId: s.brokerOrderId, status: s.status, reason };
  }

  async cancel(clientOrderId: string): Promise<void> {
    const w = this.orders_.get(clientOrderId);
    if (!w || isTerminal(w.snap.status)) return;
    this.setStatus(w, 'CANCELLED');
  }

  private setStatus(w: Working, status: OrderStatus): void {
    const s = w.snap;
    w.snap = snapWith(s, status, s.filledQty, s.avgFillPrice, s.commission, isoAt(this.clock.now()));
  }

  /**
   * Backtest: trades eligible open orders on the bar at `view.t`, then applies DAY/IOC/FOK.
   * Live: retries resting orders at the view's latest close.
   */
  onBar(view: MarketView): PaperFill[] {
    this.view = view;
    const out: PaperFill[] = [];
    if (this.opts.mode === 'live') {
      const before = this.fills_.length;
      for (const w of this.active.values()) if (!isTerminal(w.snap.status)) this.tradeLive(w, view);
      this.prune();
      return this.fills_.slice(before);
    }
    const used = new Map<string, number>();
    for (const w of this.active.values()) {
      if (isTerminal(w.snap.status) || w.eligibleRow > view.t) continue;
      const u = view.column(w.snap.symbol);
      const bar: Bar = {
        open: view.value('open', u),
        high: view.value('high', u),
        low: view.value('low', u),
        close: view.value('close', u),
        volume: view.value('volume', u),
        adv: view.value('adv20', u),
        sigma: view.value('vol20', u),
      };
      const capTotal = Number.isFinite(bar.volume) ? this.opts.config.participationCap * bar.volume : 0;
      const capLeft = capTotal - (used.get(w.snap.symbol) ?? 0);
      if (Number.isFinite(bar.open)) {
        const f = this.execute(w, bar, capLeft);
        if (f) {
          used.set(w.snap.symbol, (used.get(w.snap.symbol) ?? 0) + f.qty);
          out.push(f);
        }
      }
      this.afterOpportunity(w);
    }
    this.prune();
    return out;
  }

  /** Drops orders that reached a terminal status from the working set. */
  private prune(): void {
    for (const [id, w] of this.active) if (isTerminal(w.snap.status)) this.active.delete(id);
  }

  /** Live: DAY orders still open expire (call at the session close). */
  closeOfDay(): void {
    for (const w of this.active.values()) {
      if (!isTerminal(w.snap.status) && w.snap.timeInForce === 'DAY') this.setStatus(w, 'EXPIRED');
    }
    this.prune();
  }

  private tradeLive(w: Working, view: MarketView): void {
    const u = view.column(w.snap.symbol);
    const last = view.close(u);
    if (Number.isFinite(last)) {
      const bar: Bar = { open: last, high: last, low: last, close: last, volume: Number.NaN, adv: view.value('adv20', u), sigma: view.value('vol20', u) };
      this.execute(w, bar, Number.POSITIVE_INFINITY);
    }
    if (w.snap.timeInForce === 'IOC' || w.snap.timeInForce === 'FOK') this.afterOpportunity(w);
  }

  /** After the order's first chance to trade: IOC/FOK remainder cancelled, DAY expires at the close. */
  private afterOpportunity(w: Working): void {
    if (isTerminal(w.snap.status)) return;
    const tif = w.snap.timeInForce;
    if (tif === 'IOC' || tif === 'FOK') this.setStatus(w, 'CANCELLED');
    else if (tif === 'DAY' && this.opts.mode === 'backtest') this.setStatus(w, 'EXPIRED');
  }

  private execute(w: Working, bar: Bar, capacity: number): PaperFill | null {
    const s = w.snap;
    const remaining = Math.round((s.qty - s.filledQty) * 1e4) / 1e4;
    const r = simulateBarFill(
      { side: s.side, type: s.type, timeInForce: s.timeInForce, remaining, limitPrice: s.limitPrice, stopPrice: s.stopPrice, triggered: w.triggered },
      bar,
      capacity,
      this.model,
    );
    w.triggered = r.triggered;
    if (r.qty <= 0) return null;
    const c = this.opts.config;
    const commission = commissionFor(r.qty, c.commissionPerShare, c.commissionMin);
    const filled = Math.round((s.filledQty + r.qty) * 1e4) / 1e4;
    const avg = ((s.avgFillPrice ?? 0) * s.filledQty + r.price * r.qty) / (s.filledQty + r.qty);
    const at = isoAt(this.clock.now());
    w.snap = snapWith(s, filled >= s.qty - 5e-5 ? 'FILLED' : 'PARTIALLY_FILLED', filled, avg, s.commission + commission, at);
    const sign = s.side === 'BUY' ? 1 : -1;
    this.cash -= sign * r.qty * r.price + commission;
    this.book(s.symbol, sign * r.qty, r.price);
    const fill: PaperFill = {
      clientOrderId: s.clientOrderId,
      symbol: s.symbol,
      side: s.side,
      qty: r.qty,
      price: r.price,
      basePrice: r.basePrice,
      commission,
      at,
      adv: bar.adv,
      sigma: bar.sigma,
    };
    this.fills_.push(fill);
    return fill;
  }

  private book(symbol: string, dq: number, px: number): void {
    const p = this.pos.get(symbol) ?? { qty: 0, avg: 0 };
    const q1 = Math.round((p.qty + dq) * 1e4) / 1e4;
    let avg = p.avg;
    if (p.qty === 0 || Math.sign(p.qty) === Math.sign(dq)) avg = (Math.abs(p.qty) * p.avg + Math.abs(dq) * px) / (Math.abs(p.qty) + Math.abs(dq));
    else if (q1 === 0) avg = 0;
    else if (Math.sign(q1) !== Math.sign(p.qty)) avg = px;
    if (q1 === 0) this.pos.delete(symbol);
    else this.pos.set(symbol, { qty: q1, avg });
  }

  /** Every simulated fill so far, in order. */
  fills(): readonly PaperFill[] {
    return this.fills_;
  }

  private mark(symbol: string, fallback: number): number {
    const v = this.view;
    if (!v) return fallback;
    const u = v.column(symbol);
    const px = u >= 0 ? v.close(u) : Number.NaN;
    return Number.isFinite(px) ? px : fallback;
  }

  async account(): Promise<BrokerAccount> {
    let mv = 0;
    for (const [s, p] of this.pos) mv += p.qty * this.mark(s, p.avg);
    return { cash: this.cash, equity: this.cash + mv, buyingPower: Math.max(0, this.cash + mv), currency: 'USD' };
  }

  async positions(): Promise<BrokerPosition[]> {
    return [...this.pos.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([symbol, p]) => ({ symbol, qty: p.qty, avgEntryPrice: p.avg, marketValue: p.qty * this.mark(symbol, p.avg) }));
  }

  async orders(since?: string): Promise<BrokerOrder[]> {
    const all = [...this.orders_.values()].map((w) => w.snap);
    return since === undefined ? all : all.filter((s) => s.updatedAt >= since);
  }

  async getOrderByClientId(clientOrderId: string): Promise<BrokerOrder | null> {
    return this.orders_.get(clientOrderId)?.snap ?? null;
  }

  /** Orders known to the broker (for tests and reconciliation checks). */
  orderCount(): number {
    return this.orders_.size;
  }
}

/** A new snapshot of `s` (snapshots handed out never change): one literal in field order, cheaper than a spread. */
function snapWith(s: BrokerOrder, status: OrderStatus, filledQty: number, avgFillPrice: number | null, commission: number, updatedAt: string): BrokerOrder {
  return {
    clientOrderId: s.clientOrderId,
    brokerOrderId: s.brokerOrderId,
    symbol: s.symbol,
    side: s.side,
    type: s.type,
    timeInForce: s.timeInForce,
    qty: s.qty,
    filledQty,
    avgFillPrice,
    limitPrice: s.limitPrice,
    stopPrice: s.stopPrice,
    status,
    commission,
    createdAt: s.createdAt,
    updatedAt,
  };
}
