import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm run bench -- startup`: start-up costs of the compiled CLI against `node -e 0` in the same
 * run (the floor any Node program pays), median of N runs each:
 * - `sluice --help`, `sluice explain` on fixtures/parquet;
 * - a pool thread ready to run a task: a Worker importing dist's worker module, against a Worker
 *   running an empty script;
 * - a whole `sluice run` of one small JSONL document (an upper bound of "first document processed").
 * Needs `npm run build` first. Prints one JSON line per figure.
 */
const ROOT = resolve(import.meta.dirname, '..');
const N = Number(process.env.BENCH_STARTUP_RUNS ?? 9);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timeCommand(args: string[]): number {
  const runs: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const r = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
    runs.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}`);
  }
  return median(runs);
}

export default async function run(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'sluice-startup-'));
  try {
    const sluice = join(ROOT, 'bin/sluice.js');
    const node = timeCommand(['-e', '0']);
    const emit = (name: string, ms: number, baseline = node, baselineName = 'node -e 0'): void =>
      console.log(JSON.stringify({ bench: 'startup', case: name, ms: Math.round(ms), baseline: baselineName, baselineMs: Math.round(baseline), ratio: +(ms / baseline).toFixed(2) }));
    emit('sluice --help', timeCommand([sluice, '--help']));
    emit('sluice explain (fixtures/parquet)', timeCommand([sluice, 'explain', 'pipelines/parquet-quality.ts', '--input', 'fixtures/parquet']));

    const bare = join(tmp, 'bare.mjs');
    writeFileSync(bare, "import { Worker } from 'node:worker_threads';\nconst w = new Worker('process.exit(0)', { eval: true });\nw.on('exit', () => {});\n");
    const ready = join(tmp, 'ready.mjs');
    writeFileSync(ready, [
      "import { Worker } from 'node:worker_threads';",
      `const w = new Worker(${JSON.stringify(`import(${JSON.stringify(join(ROOT, 'dist/exec/pool/worker.js'))}).then(() => process.exit(0))`)}, { eval: true });`,
      "w.on('exit', () => {});",
    ].join('\n'));
    const bareMs = timeCommand([bare]);
    const readyMs = timeCommand([ready]);
    emit('process with one pool thread ready to run a task', readyMs, bareMs, 'process with one bare thread');
    console.log(JSON.stringify({ bench: 'startup', case: 'pool thread ready: cost over a bare thread', ms: Math.round(readyMs - bareMs) }));

    const input = join(tmp, 'in');
    rmSync(input, { recursive: true, force: true });
    (await import('node:fs')).mkdirSync(input);
    writeFileSync(join(input, 'one.jsonl'), JSON.stringify({ text: 'A short document. '.repeat(40) }) + '\n');
    const pipeline = join(tmp, 'one.mjs');
    writeFileSync(pipeline, `import { readJsonl, definePipeline } from ${JSON.stringify(join(ROOT, 'dist/index.js'))};\nexport default definePipeline((ctx) => readJsonl(ctx.files('*.jsonl')));\n`);
    const runs: number[] = [];
    for (let i = 0; i < N; i++) {
      const out = join(tmp, `out${i}`);
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [sluice, 'run', pipeline, '--input', input, '--output', out, '--workers', '1'], { cwd: ROOT, encoding: 'utf8' });
      runs.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`run failed: ${r.stderr}`);
    }
    emit('sluice run, one document, 1 worker (whole run)', median(runs));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

if (process.argv[1] === import.meta.filename) await run();
