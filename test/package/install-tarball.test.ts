import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';

/**
 * sluice as a user gets it: `npm pack`, installed into a fresh ESM project with `tsc --init`
 * defaults and `"module": "nodenext"`; a TypeScript pipeline importing from 'sluice' type-checks
 * and runs with `npx sluice run`, and a CommonJS project can `require('sluice')`.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');
let tmp: string;
let project: string;

const sh = (cmd: string, args: string[], cwd: string) =>
  execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-package-'));
  // dist/ is built by `npm test`'s pretest; rebuilding it here would race the CLI tests running beside.
  const packed = JSON.parse(sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], ROOT)) as { filename: string }[];
  const tarball = join(tmp, packed[0]!.filename);
  project = join(tmp, 'user-project');
  await rm(project, { recursive: true, force: true });
  await (await import('node:fs/promises')).mkdir(project);
  sh('npm', ['init', '-y'], project);
  sh('npm', ['pkg', 'set', 'type=module'], project);
  // --prefer-offline: the dependencies are in npm's cache from this checkout's own install.
  sh('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', tarball], project);
  sh(process.execPath, [TSC, '--init'], project);
}, 300_000);

afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

it('ships compiled JavaScript, types and the CLI, and nothing of the repository\'s tests', async () => {
  const pkg = join(project, 'node_modules/sluice');
  const top = (await readdir(pkg)).sort();
  expect(top).toEqual(expect.arrayContaining(['bin', 'dist', 'package.json']));
  expect(top).not.toContain('test');
  expect(top).not.toContain('src');
  expect(top).not.toContain('bench');
  const help = spawnSync('npx', ['sluice', '--help'], { cwd: project, encoding: 'utf8' });
  expect(help.status, help.stderr).toBe(0);
  expect(help.stdout).toContain('run');
});

it('type-checks a TypeScript pipeline importing from sluice under tsc --init defaults, and runs it', async () => {
  const tsconfig = await readFile(join(project, 'tsconfig.json'), 'utf8');
  expect(tsconfig).toMatch(/"module":\s*"nodenext"/);
  await writeFile(join(project, 'pipeline.ts'), [
    "import { col, definePipeline, gopherQuality, languageId, parquetSink, readJsonl } from 'sluice';",
    '',
    'export default definePipeline((ctx) => ({',
    "  frame: readJsonl(ctx.files('*.jsonl'))",
    "    .apply(languageId, { languages: ['en'], minScore: 0.5 })",
    '    .apply(gopherQuality)',
    "    .filter(col('text').length().gt(200))",
    "    .select('text', 'language'),",
    "  sink: parquetSink('kept'),",
    '}));',
    '',
  ].join('\n'));
  const tsc = spawnSync(process.execPath, [TSC, '--noEmit', '-p', '.'], { cwd: project, encoding: 'utf8' });
  expect(tsc.status, tsc.stdout + tsc.stderr).toBe(0);
  const run = spawnSync('npx', ['sluice', 'run', 'pipeline.ts', '--input', join(ROOT, 'fixtures/corpus'), '--output', 'out', '--workers', '1'],
    { cwd: project, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const stats = JSON.parse(await readFile(join(project, 'out/stats.json'), 'utf8')) as { totals: { documentsIn: number; documentsOut: number } };
  expect(stats.totals.documentsIn).toBeGreaterThan(0);
  expect(stats.totals.documentsOut).toBeGreaterThan(0);
  expect((await readdir(join(project, 'out/kept'))).some((f) => f.endsWith('.parquet'))).toBe(true);
});

it('loads from a CommonJS project with require()', async () => {
  const cjs = join(tmp, 'cjs-project');
  await (await import('node:fs/promises')).mkdir(cjs, { recursive: true });
  await writeFile(join(cjs, 'package.json'), JSON.stringify({ name: 'cjs-project', type: 'commonjs' }));
  await writeFile(join(cjs, 'check.cjs'), [
    `const sluice = require(${JSON.stringify(join(project, 'node_modules/sluice'))});`,
    "process.stdout.write(typeof sluice.readJsonl + ' ' + typeof sluice.definePipeline);",
  ].join('\n'));
  const r = spawnSync(process.execPath, ['check.cjs'], { cwd: cjs, encoding: 'utf8' });
  expect(r.status, r.stderr).toBe(0);
  expect(r.stdout).toBe('function function');
});
