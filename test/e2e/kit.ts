import path from 'node:path';

/** The repository, the dashboard build every e2e file serves, and where the pages' screenshots go. */
export const ROOT = path.resolve(import.meta.dirname, '../..');
export const WEB_DIST = path.join(ROOT, 'web/dist');
export const SHOTS = path.join(ROOT, 'test/e2e/screenshots');
