import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, onUnauthorised } from './api/client.ts';
import { connectEvents, disconnectEvents, useLive, useLiveMode } from './api/events.ts';
import type { Fund, User } from './api/types.ts';
import { EmptyState, ErrorState, Loading, StatusBadge } from './design/index.ts';
import { LoginPage } from './pages/login.tsx';
import { PAGES, pageFor } from './pages/registry.tsx';
import { useRoute } from './router.ts';
import { SessionContext, type SessionValue } from './session.ts';

type Auth = { state: 'checking' } | { state: 'out' } | { state: 'in'; user: User };

export function App() {
  const [auth, setAuth] = useState<Auth>({ state: 'checking' });
  useEffect(() => {
    api<{ user: User }>('/v1/me')
      .then((r) => setAuth({ state: 'in', user: r.user }))
      .catch(() => setAuth({ state: 'out' }));
    return onUnauthorised(() => setAuth({ state: 'out' }));
  }, []);
  if (auth.state === 'checking') return <Loading label="Checking session…" />;
  if (auth.state === 'out') return <LoginPage onLogin={(user) => setAuth({ state: 'in', user })} />;
  return <SignedIn user={auth.user} onLogout={() => setAuth({ state: 'out' })} />;
}

const FUND_KEY = 'keel.fundId';

function SignedIn(p: { user: User; onLogout: () => void }) {
  const [funds, setFunds] = useState<Fund[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [fundId, setFundId] = useState<string | null>(() => window.localStorage.getItem(FUND_KEY));
  const refreshFunds = useCallback(() => {
    api<{ funds: Fund[] }>('/v1/funds')
      .then((r) => {
        setFunds(r.funds);
        setError(null);
      })
      .catch(setError);
  }, []);
  useEffect(refreshFunds, [refreshFunds]);
  useLive(['trading-state.changed'], refreshFunds);
  const page = pageFor(useRoute());
  const onOverlay = page.path === '/overlay';
  // Below 760 px the sidebar folds into a menu opened from the top bar.
  const [isMenuOpen, setMenuOpen] = useState(false);
  const selected = funds === null ? null : (funds.find((f) => f.id === fundId) ?? funds[0] ?? null);
  const selectedId = selected?.id ?? null;
  useEffect(() => {
    connectEvents(selectedId);
    return disconnectEvents;
  }, [selectedId]);
  const value = useMemo<SessionValue | null>(
    () => (selected === null || funds === null ? null : { user: p.user, funds, fundId: selected.id, base: `/v1/funds/${encodeURIComponent(selected.id)}`, refreshFunds }),
    [p.user, funds, selected, refreshFunds],
  );
  const logout = () => {
    api('/v1/session', { method: 'DELETE' })
      .catch(() => undefined)
      .finally(p.onLogout);
  };
  let body: ReactNode;
  if (error !== null) body = <ErrorState error={error} onRetry={refreshFunds} />;
  else if (funds === null) body = <Loading />;
  else if (value === null) body = <EmptyState title="No funds">Your user has no funds. Ask an admin to add one (keel user add … --fund &lt;id&gt;).</EmptyState>;
  else
    body = (
      <>
        {selected && selected.tradingState !== 'ACTIVE' && !onOverlay ? (
          <div className={`banner banner-${selected.tradingState === 'HALTED' ? 'breach' : 'warning'}`} data-testid="global-trading-state">
            <span>
              {selected.name || selected.id} is {selected.tradingState}: {selected.tradingState === 'HALTED' ? 'no new orders until re-armed.' : 'risk may only shrink.'}
            </span>
            <a href="#/overlay" style={{ color: 'inherit' }}>
              Fund Overlay →
            </a>
          </div>
        ) : null}
        <Routed />
      </>
    );
  return (
    <div className="shell">
      <header className="topbar" data-testid="topbar">
        <button type="button" className="menu-toggle" aria-label="Menu" aria-expanded={isMenuOpen} aria-controls="sidebar" data-testid="menu-toggle" onClick={() => setMenuOpen((o) => !o)}>
          {isMenuOpen ? '✕' : '☰'}
        </button>
        <span className="topbar-title">{page.title}</span>
        {selected ? <StatusBadge status={selected.tradingState} /> : null}
        <a href="#/overlay" className="btn btn-sm btn-danger" data-testid="topbar-kill-switch" title="The fund's trading state and the kill switch" onClick={() => setMenuOpen(false)}>
          Kill switch
        </a>
      </header>
      <aside id="sidebar" className={`sidebar${isMenuOpen ? ' open' : ''}`}>
        <div className="brand">
          Keel<small>fund operating system</small>
        </div>
        <Nav onNavigate={() => setMenuOpen(false)} />
        <div className="sidebar-foot">
          <div>Fund</div>
          <select
            aria-label="Fund"
            value={selectedId ?? ''}
            onChange={(e) => {
              setFundId(e.target.value);
              window.localStorage.setItem(FUND_KEY, e.target.value);
            }}
          >
            {(funds ?? []).map((f) => (
              <option key={f.id} value={f.id}>
                {f.name || f.id}
              </option>
            ))}
          </select>
          {selected ? (
            <div style={{ marginBottom: 8 }}>
              <StatusBadge status={selected.tradingState} />
            </div>
          ) : null}
          <div data-testid="whoami">
            {p.user.name} · {p.user.role}
          </div>
          <LiveIndicator />
          <button type="button" className="btn btn-sm" style={{ marginTop: 8 }} onClick={logout}>
            Sign out
          </button>
        </div>
      </aside>
      <main className="content">{value ? <SessionContext.Provider value={value}>{body}</SessionContext.Provider> : body}</main>
    </div>
  );
}

function LiveIndicator() {
  const mode = useLiveMode();
  return <div className={`live${mode === 'sse' ? ' on' : mode === 'polling' ? ' polling' : ''}`}>{mode === 'sse' ? 'live' : mode === 'polling' ? 'polling every 15 s' : 'offline'}</div>;
}

function Nav(p: { onNavigate: () => void }) {
  const route = useRoute();
  const active = pageFor(route).path;
  return (
    <nav className="nav">
      {PAGES.map((pg) => (
        <a key={pg.path} href={`#${pg.path}`} className={pg.path === active ? 'active' : undefined} onClick={p.onNavigate}>
          {pg.title}
        </a>
      ))}
    </nav>
  );
}

function Routed() {
  const route = useRoute();
  const page = pageFor(route);
  useEffect(() => {
    document.title = `${page.title} · Keel`;
  }, [page.title]);
  const Page = page.component;
  return <Page key={page.path} />;
}
