/** Launching Debian's Chromium through playwright-core, and watching a page for errors. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

export interface Browser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** A fresh profile each time (no cookies or cache carried over). 1280×800: a laptop screen. */
export async function launch(): Promise<Browser> {
  const dir = mkdtempSync(path.join(tmpdir(), 'keel-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(dir, { executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 800 } });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Watch {
  /** Console errors and uncaught exceptions (failed resource loads are listed in `httpErrors`). */
  readonly errors: string[];
  /** Responses with status ≥ 400: "404 GET /v1/…". */
  readonly httpErrors: string[];
}

export function watch(page: Page): Watch {
  const w: Watch = { errors: [], httpErrors: [] };
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    // Chromium reports every non-2xx fetch as "Failed to load resource"; those are checked via httpErrors.
    if (m.text().startsWith('Failed to load resource')) return;
    w.errors.push(m.text());
  });
  page.on('pageerror', (e) => w.errors.push(`uncaught: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) w.httpErrors.push(`${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`);
  });
  return w;
}

/** Waits until no loading spinner is shown (the page's data has arrived or failed). */
export async function settled(page: Page): Promise<void> {
  await page.waitForFunction("document.querySelector('.spinner') === null", undefined, { timeout: 30_000 });
  await page.waitForTimeout(250);
}

/**
 * Opens `route` of the dashboard at `url`, signs in as `user` through the login form, and waits
 * for the header to name the user (`attached`: in the DOM, for layouts that fold the header away).
 */
export async function signIn(page: Page, url: string, user: { readonly name: string; readonly key: string }, o: { route?: string; state?: 'visible' | 'attached' } = {}): Promise<void> {
  await page.goto(`${url}/#/${o.route ?? 'morning-pack'}`);
  await page.locator('input[name=name]').fill(user.name);
  await page.locator('input[name=key]').fill(user.key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('whoami').waitFor(o.state ? { state: o.state } : undefined);
}

/** A fresh browser with one page signed in as `user` at `url`, and the page's error watch. */
export async function signedInPage(url: string, user: { readonly name: string; readonly key: string }): Promise<{ browser: Browser; page: Page; w: Watch }> {
  const browser = await launch();
  const page = await browser.context.newPage();
  const w = watch(page);
  await signIn(page, url, user);
  return { browser, page, w };
}
