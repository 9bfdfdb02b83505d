import type { ReactNode } from 'react';

/** A titled surface. `span` places it on the 12-column grid. */
export function Card(p: { title?: ReactNode; extra?: ReactNode; span?: 2 | 3 | 4 | 5 | 6 | 7 | 8 | 12; children: ReactNode; testId?: string }) {
  return (
    <section className={`card${p.span ? ` span-${p.span}` : ''}`} data-testid={p.testId}>
      {p.title !== undefined || p.extra !== undefined ? (
        <div className="card-head">
          <h2>{p.title}</h2>
          {p.extra !== undefined ? <div className="extra">{p.extra}</div> : null}
        </div>
      ) : null}
      {p.children}
    </section>
  );
}

/** The 12-column layout grid. */
export function Grid(p: { children: ReactNode }) {
  return <div className="grid">{p.children}</div>;
}

/** The page title row with an optional subtitle and actions. */
export function PageHead(p: { title: string; sub?: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-head">
      <div>
        <h1>{p.title}</h1>
        {p.sub !== undefined ? <div className="sub">{p.sub}</div> : null}
      </div>
      <div className="row">{p.children}</div>
    </div>
  );
}
