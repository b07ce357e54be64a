import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');
const FIXTURES = resolve(import.meta.dirname, 'typescript');

interface Loaded {
  required: boolean;
  runsAfterRequire: string[];
  runs: string[];
  sameAsImported: boolean;
  called?: unknown;
  shared?: { sluice: boolean; zod: boolean; arrow: boolean };
  meta?: { url: string; dirname: string; filename: string; helperUrl: string; marked: { ok: boolean } };
}

/** Loads a fixture in a fresh node process through compiled sluice (`npm test` builds dist/ first). */
function load(fixture: string): Loaded {
  const r = spawnSync(process.execPath, [resolve(FIXTURES, 'load.mjs'), resolve(ROOT, 'dist'), resolve(FIXTURES, fixture)], { cwd: ROOT, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Loaded;
}

describe('TypeScript pipelines compiled in the thread (requireTypeScript)', () => {
  it('share sluice, zod and apache-arrow with the thread, and see their own import.meta', () => {
    const file = resolve(FIXTURES, 'pipeline.ts');
    const got = load('pipeline.ts');
    expect(got.required).toBe(true);
    expect(got.sameAsImported).toBe(true);
    expect(got.called).toBe('called');
    expect(got.shared).toEqual({ sluice: true, zod: true, arrow: true });
    expect(got.meta).toEqual({
      url: `file://${file}`, dirname: FIXTURES, filename: file,
      helperUrl: `file://${resolve(FIXTURES, 'helper.ts')}`, marked: { ok: true },
    });
  });

  it.each([
    ['top-level await in a nested file', 'top-level-await.ts', 'tla'],
    ['a dynamic import() of a local file', 'dynamic-import.ts', true],
    ['a local JavaScript module importing TypeScript', 'js-imports-ts.ts', true],
    ['import.meta.resolve', 'import-meta-resolve.ts', true],
    ['a .tsx file', 'plain.tsx', true],
  ] as const)('leave %s to tsx, having run none of it', (_what, fixture, called) => {
    const got = load(fixture);
    expect(got.required).toBe(false);
    expect(got.runsAfterRequire).toEqual([]);
    expect(got.runs).toEqual(['ran']);
    expect(got.called).toBe(called);
  });
});
