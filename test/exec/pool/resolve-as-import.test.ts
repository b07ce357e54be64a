import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveAsImport } from '../../../src/exec/pool/resolve-as-import.ts';

const root = mkdtempSync(join(tmpdir(), 'sluice-resolve-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

const from = join(root, 'project/pipelines/p.ts');
write('project/package.json', JSON.stringify({ name: 'project', exports: { '.': './lib/index.js' } }));
write('project/node_modules/dual/package.json', JSON.stringify({
  name: 'dual',
  exports: {
    '.': { types: './index.d.ts', require: './index.cjs', import: './index.js' },
    './sub/*': { require: './cjs/*.cjs', default: './esm/*.js' },
    './sub/special': './special.js',
    './package.json': './package.json',
  },
}));
write('project/node_modules/@scope/pkg/package.json', JSON.stringify({ exports: [{ 'module-sync': './sync.js', require: './r.cjs' }, './fallback.js'] }));
write('project/node_modules/sugar/package.json', JSON.stringify({ exports: { node: { require: './n.cjs', import: './n.mjs' } } }));
write('project/node_modules/legacy/package.json', JSON.stringify({ main: './main.js' }));
write('node_modules/outer/package.json', JSON.stringify({ exports: './outer.js' }));

describe('resolveAsImport', () => {
  it('picks the import condition of a dual package, in key order, skipping require and types', () => {
    expect(resolveAsImport('dual', from)).toBe(join(root, 'project/node_modules/dual/index.js'));
    expect(resolveAsImport('@scope/pkg', from)).toBe(join(root, 'project/node_modules/@scope/pkg/sync.js'));
    expect(resolveAsImport('sugar', from)).toBe(join(root, 'project/node_modules/sugar/n.mjs'));
  });

  it('resolves subpaths: exact keys before patterns, pattern matches substituted', () => {
    expect(resolveAsImport('dual/sub/special', from)).toBe(join(root, 'project/node_modules/dual/special.js'));
    expect(resolveAsImport('dual/sub/a/b', from)).toBe(join(root, 'project/node_modules/dual/esm/a/b.js'));
    expect(resolveAsImport('dual/package.json', from)).toBe(join(root, 'project/node_modules/dual/package.json'));
    expect(resolveAsImport('dual/missing', from)).toBeUndefined();
  });

  it('resolves the enclosing package by its own name, and looks up node_modules further out', () => {
    expect(resolveAsImport('project', from)).toBe(join(root, 'project/lib/index.js'));
    expect(resolveAsImport('outer', from)).toBe(join(root, 'node_modules/outer/outer.js'));
  });

  it('leaves to require what it resolves the same way', () => {
    for (const spec of ['./local.ts', '../up.js', '/abs/x.js', '#internal', 'node:fs', 'fs', 'legacy', 'absent']) {
      expect(resolveAsImport(spec, from), spec).toBeUndefined();
    }
  });
});
