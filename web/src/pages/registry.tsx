import type { ComponentType } from 'react';
import { MorningPackPage } from './morning-pack.tsx';
import { PositionsPage } from './positions.tsx';
import { BlotterPage } from './blotter.tsx';
import { ProposalsPage } from './proposals.tsx';
import { RiskPage } from './risk.tsx';
import { OverlayPage } from './overlay.tsx';
import { AgentsPage } from './agents.tsx';
import { AttributionPage } from './attribution.tsx';
import { JournalPage } from './journal.tsx';
import { BacktestsPage } from './backtests.tsx';

export interface PageDef {
  readonly path: string;
  readonly title: string;
  readonly component: ComponentType;
}

/** Every page, in navigation order. The first is the home page. */
export const PAGES: readonly PageDef[] = [
  { path: '/morning-pack', title: 'Morning Pack', component: MorningPackPage },
  { path: '/positions', title: 'Position Book', component: PositionsPage },
  { path: '/blotter', title: 'Trade Blotter', component: BlotterPage },
  { path: '/proposals', title: 'Proposals', component: ProposalsPage },
  { path: '/risk', title: 'Risk Monitor', component: RiskPage },
  { path: '/overlay', title: 'Fund Overlay', component: OverlayPage },
  { path: '/agents', title: 'Agents', component: AgentsPage },
  { path: '/attribution', title: 'Attribution', component: AttributionPage },
  { path: '/journal', title: 'Decision Journal', component: JournalPage },
  { path: '/backtests', title: 'Backtests', component: BacktestsPage },
];

export function pageFor(route: string): PageDef {
  const path = '/' + (route.split('?')[0] ?? '').replace(/^\/+/, '').split('/')[0];
  return PAGES.find((p) => p.path === path) ?? (PAGES[0] as PageDef);
}
