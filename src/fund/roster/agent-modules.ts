import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { agentModuleOf, type LoadedAgentModule } from '../../agents/index.ts';
import { parseFundConfig, type FundConfig } from '../../contracts/index.ts';
import { ValidationError } from '../../core/index.ts';

/** SHA-256 (hex) of a file's bytes. */
export function fileSha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

const loaded = new Map<string, Promise<LoadedAgentModule>>();

/**
 * Imports a plug-in module (TypeScript through the CLI's tsx loader, or JavaScript) and reads its
 * default export. One import per file content: the sha is part of the URL, so an edited file is
 * imported afresh and an unchanged one once per process. `field` names the config field in errors.
 */
export function importAgentModule(file: string, sha256: string, field: string): Promise<LoadedAgentModule> {
  const key = `${file}#${sha256}`;
  let p = loaded.get(key);
  if (!p) {
    p = importOnce(file, sha256, field);
    loaded.set(key, p);
    p.catch(() => loaded.delete(key));
  }
  return p;
}

async function importOnce(file: string, sha256: string, field: string): Promise<LoadedAgentModule> {
  let mod: { default?: unknown };
  try {
    mod = (await import(`${pathToFileURL(file).href}?sha256=${sha256}`)) as { default?: unknown };
  } catch (e) {
    const hint = isEsmScope(file) ? '' : '; agent modules are ES modules: add a package.json with {"type": "module"} to its folder (keel agent new writes one), or name it .mts / .mjs';
    throw new ValidationError(field, `${file} failed to load: ${e instanceof Error ? e.message : String(e)}${hint}`);
  }
  const r = agentModuleOf(mod.default);
  if (!r.ok) throw new ValidationError(field, `${file}: ${r.error}`);
  return r.module;
}

/** The nearest package.json above a file, or null. */
export function nearestPackageJson(file: string): string | null {
  let dir = path.dirname(file);
  for (;;) {
    const p = path.join(dir, 'package.json');
    if (existsSync(p)) return p;
    const up = path.dirname(dir);
    if (up === dir) return null;
    dir = up;
  }
}

/** Whether Node loads `file` as an ES module: `.mts`/`.mjs`, or its nearest package.json says "type": "module". */
export function isEsmScope(file: string): boolean {
  if (/\.m[jt]s$/.test(file)) return true;
  const pkg = nearestPackageJson(file);
  if (!pkg) return false;
  try {
    return (JSON.parse(readFileSync(pkg, 'utf8')) as { type?: unknown }).type === 'module';
  } catch {
    return false;
  }
}

/** A module path as written in a config file, checked to exist (a file), resolved against the config's folder. */
function resolveModulePath(spec: string, baseDir: string, field: string): string {
  const file = path.resolve(baseDir, spec);
  if (!existsSync(file) || !statSync(file).isFile()) {
    throw new ValidationError(
      field,
      `'${spec}' not found (resolved against the config file's folder ${baseDir}: ${file}); fix the path, or scaffold the agent with keel agent new <name>`,
    );
  }
  return file;
}

/**
 * The config as read from a file in `baseDir`: each plug-in agent's `module` resolved to an
 * absolute path, its file's sha256 recorded in `moduleSha256` (so the config hash, and with it the
 * golden-config guard and replay, cover the agent's code), and its declared `bucket` and
 * `riskDrivers` filled in where the config does not set them. Validated again as a whole.
 */
export async function resolveAgentModules(config: FundConfig, baseDir: string): Promise<FundConfig> {
  if (!config.agents.some((a) => a.module !== undefined)) return config;
  const agents = [];
  for (const [i, a] of config.agents.entries()) {
    if (a.module === undefined) {
      agents.push(a);
      continue;
    }
    const field = `agents[${i}].module`;
    const file = resolveModulePath(a.module, baseDir, field);
    const sha = fileSha256(file);
    const m = await importAgentModule(file, sha, field);
    agents.push({
      ...a,
      module: file,
      moduleSha256: sha,
      ...(a.bucket === undefined && m.bucket !== undefined ? { bucket: m.bucket } : {}),
      ...(a.riskDrivers === undefined && m.riskDrivers !== undefined ? { riskDrivers: [...m.riskDrivers] } : {}),
    });
  }
  return parseFundConfig({ ...config, agents });
}

/**
 * A configured plug-in module, checked against the config that names it: the path absolute and
 * the file's content the one whose sha256 the config records (else the config no longer describes
 * the code that would run: re-apply the config file).
 */
export async function configuredModule(a: { readonly id: string; readonly module: string; readonly moduleSha256?: string | undefined }): Promise<LoadedAgentModule> {
  const field = `agents.${a.id}.module`;
  if (!path.isAbsolute(a.module) || a.moduleSha256 === undefined) {
    throw new ValidationError(field, `'${a.module}' is not resolved; read the config through keel (keel backtest/run --config FILE, keel config apply --config FILE) so the path is resolved against the file and its sha256 recorded`);
  }
  if (!existsSync(a.module)) throw new ValidationError(field, `${a.module} no longer exists; restore it or apply a config that names the agent's new path`);
  const sha = fileSha256(a.module);
  if (sha !== a.moduleSha256) {
    throw new ValidationError(
      field,
      `${a.module} changed since the config was recorded (sha256 ${sha.slice(0, 12)}… ≠ ${a.moduleSha256.slice(0, 12)}…); apply the config file again (keel config apply) to run the new code, or restore the file to replay the recorded one`,
    );
  }
  return importAgentModule(a.module, sha, field);
}
