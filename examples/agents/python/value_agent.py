#!/usr/bin/env python3
"""A Keel remote agent in Python, standard library only (docs/agents.md "Remote agents").

Idea (short-term value): buy the names that fell most over the lookback, equal weight.
Run it:   python3 value_agent.py --port 9400
Config:   { "id": "py-value", "allocatedCapital": 1000000, "params": { "names": 8 },
            "remote": { "http": "http://127.0.0.1:9400/propose",
                        "data": { "fields": ["close"], "lookbackDays": 21 } } }

Keel POSTs a propose request (JSON Schema: keel schema agent-request) and expects an
AgentProposal back (keel schema agent-proposal). Weights are signed fractions of the agent's
allocated capital; mu and sigma are simple returns over horizonDays trading days.
"""
import argparse
import json
import math
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CONTRACT_MAJOR = "1"


def propose(req):
    """The proposal for one request: deterministic (the same request gives the same answer)."""
    params = req.get("params") or {}
    n_names = int(params.get("names", 8))
    gross = float(params.get("gross", 0.9))
    horizon = int(params.get("horizonDays", 5))
    closes = req["prices"]["close"]  # rows (oldest first) x symbols; null where there is no bar
    symbols = req["universe"]["symbols"]
    # names the fund takes new exposure in (tradable, market cap not below risk.minMarketCap);
    # contract 1.0 requests had only "tradable"
    eligible = req["universe"].get("eligible", req["universe"]["tradable"])
    scored = []
    if len(closes) >= 2:
        first, last = closes[0], closes[-1]
        for u, sym in enumerate(symbols):
            a, b = first[u], last[u]
            if not eligible[u] or a is None or b is None or a <= 0 or b <= 0:
                continue
            rets = [closes[i][u] / closes[i - 1][u] - 1 for i in range(1, len(closes))
                    if closes[i][u] is not None and closes[i - 1][u] is not None and closes[i - 1][u] > 0]
            if len(rets) < 2:
                continue
            mean = sum(rets) / len(rets)
            vol = math.sqrt(sum((r - mean) ** 2 for r in rets) / (len(rets) - 1))
            scored.append((-(b / a - 1), sym, vol))
    scored.sort(key=lambda x: (-x[0], x[1]))
    picks = scored[:n_names]
    weight = gross / len(picks) if picks else 0.0
    signals = []
    targets = []
    for score, sym, vol in picks:
        sigma = vol * math.sqrt(horizon)
        targets.append({"symbol": sym, "weight": weight, "stopLoss": None, "takeProfit": None})
        signals.append({
            "version": 1, "traceId": req["traceId"], "symbol": sym,
            "mu": 0.05 * score, "sigma": sigma, "horizonDays": horizon, "confidence": 0.5,
            "regime": "BULL_QUIET", "agentId": req["agentId"], "modelVersion": "py-value@1",
            "asOf": req["asOf"],
        })
    return {
        "version": 1, "traceId": req["traceId"], "cycleId": req["cycleId"], "agentId": req["agentId"],
        "strategy": "custom", "asOf": req["asOf"], "signals": signals, "targets": targets,
        "agentRisk": [], "reasoning": f"short-term value: long the {len(picks)} biggest losers over {len(closes)} days",
    }


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):
        if self.path != "/propose":
            self._send(404, {"error": "POST /propose"})
            return
        try:
            req = json.loads(self.rfile.read(int(self.headers.get("content-length", "0"))))
            if str(req.get("contract", "")).split(".")[0] != CONTRACT_MAJOR:
                self._send(400, {"error": f"this agent speaks contract {CONTRACT_MAJOR}.x, got {req.get('contract')}"})
                return
            self._send(200, propose(req))
        except Exception as e:  # an answer Keel can report, rather than a dropped connection
            self._send(500, {"error": f"{type(e).__name__}: {e}"})

    def do_GET(self):
        self._send(200, {"ok": True, "contract": CONTRACT_MAJOR})

    def _send(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=9400, help="0: any free port")
    a = ap.parse_args()
    server = ThreadingHTTPServer((a.host, a.port), Handler)
    print(f"keel python agent listening on http://{a.host}:{server.server_address[1]}/propose", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
