import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';

/** The conditions Node 20's `import` matches in a package's `exports` (`module-sync` since 20.19). */
const IMPORT_CONDITIONS = new Set(['node', 'import', 'module-sync', 'default']);
const BUILTINS = new Set(builtinModules);

type PackageJson = { name?: unknown; exports?: unknown };

/**
 * The file `import spec` would load from `fromFile`, for a bare package specifier whose package
 * has an `exports` map; `undefined` for anything `require` resolves the same way (relative paths,
 * builtins, packages without `exports`).
 *
 * Why: a dual package (zod, apache-arrow) gives `require` its CommonJS build, a second copy beside
 * the ES module sluice imports; a schema or Arrow table made by one copy fails the other's
 * `instanceof`. Like Node, a package's own name resolves to itself first (a pipeline inside
 * sluice's checkout importing 'sluice').
 */
export function resolveAsImport(spec: string, fromFile: string): string | undefined {
  if (spec.startsWith('.') || spec.startsWith('/') || spec.startsWith('#') || spec.startsWith('node:') || BUILTINS.has(spec)) return undefined;
  const parts = spec.split('/');
  const nameLength = spec.startsWith('@') ? 2 : 1;
  const name = parts.slice(0, nameLength).join('/');
  const subpath = ['.', ...parts.slice(nameLength)].join('/');
  const own = nearestPackage(dirname(fromFile));
  if (own && own.json.name === name) return inPackage(own.dir, own.json, subpath);
  for (let dir = dirname(fromFile); ; dir = dirname(dir)) {
    const pkgDir = join(dir, 'node_modules', name);
    const json = readPackageJson(pkgDir);
    if (json) return inPackage(pkgDir, json, subpath);
    if (dirname(dir) === dir) return undefined;
  }
}

function inPackage(dir: string, json: PackageJson, subpath: string): string | undefined {
  if (json.exports === undefined || json.exports === null) return undefined;
  const target = exportsTarget(json.exports, subpath);
  return target === undefined ? undefined : join(dir, target);
}

function nearestPackage(from: string): { dir: string; json: PackageJson } | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const json = readPackageJson(dir);
    if (json) return { dir, json };
    if (dirname(dir) === dir) return undefined;
  }
}

function readPackageJson(dir: string): PackageJson | undefined {
  let text: string;
  try {
    text = readFileSync(join(dir, 'package.json'), 'utf8');
  } catch {
    return undefined;
  }
  return JSON.parse(text) as PackageJson;
}

/** Node's PACKAGE_EXPORTS_RESOLVE for one subpath: exact keys, then the longest `*` pattern. */
function exportsTarget(exports: unknown, subpath: string): string | undefined {
  const isSubpathMap = typeof exports === 'object' && !Array.isArray(exports) && Object.keys(exports as object).some((k) => k.startsWith('.'));
  const map = (isSubpathMap ? exports : { '.': exports }) as Record<string, unknown>;
  if (Object.hasOwn(map, subpath) && !subpath.includes('*')) return conditionTarget(map[subpath], undefined);
  let best: { key: string; match: string } | undefined;
  for (const key of Object.keys(map)) {
    const star = key.indexOf('*');
    if (star < 0) continue;
    const prefix = key.slice(0, star), suffix = key.slice(star + 1);
    if (subpath.length >= key.length && subpath.startsWith(prefix) && subpath.endsWith(suffix) && (!best || prefix.length > best.key.indexOf('*'))) {
      best = { key, match: subpath.slice(prefix.length, subpath.length - suffix.length) };
    }
  }
  return best ? conditionTarget(map[best.key], best.match) : undefined;
}

function conditionTarget(target: unknown, match: string | undefined): string | undefined {
  if (typeof target === 'string') return match === undefined ? target : target.replaceAll('*', match);
  if (Array.isArray(target)) {
    for (const t of target) {
      const r = conditionTarget(t, match);
      if (r !== undefined) return r;
    }
    return undefined;
  }
  if (target && typeof target === 'object') {
    for (const [condition, t] of Object.entries(target)) {
      if (!IMPORT_CONDITIONS.has(condition)) continue;
      const r = conditionTarget(t, match);
      if (r !== undefined) return r;
    }
  }
  return undefined;
}
