import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStats } from '../../src/exec/accounting/counters.ts';
import { dedupKeys } from '../../src/exec/dedup/layout.ts';
import type { SubstringBucketSummary } from '../../src/exec/dedup/substring-bucket.ts';
import { readCheckpoint } from '../../src/exec/state/checkpoint.ts';
import { keys } from '../../src/exec/state/layout.ts';
import { loadTokenizer } from '../../src/ops/tokenize/backend.ts';
import { LocalBlobStore } from '../../src/storage/local-blob-store.ts';
import type { Doc } from './dedup-corpus.ts';
import { bruteSpans } from './substring-brute.ts';
import { writeSubstringCorpus } from './substring-corpus.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PIPELINE = join(ROOT, 'test/exec/pipelines/substrings.ts');
const FILES = 4;
let tmp: string;
let input: string;
let docs: Doc[];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'sluice-substr-'));
  input = join(tmp, 'in');
  docs = await writeSubstringCorpus(input, FILES);
});
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function sluice(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
}
/** Task size above any corpus file (30-49 KB) and below any two together: one task per file. */
const PER_FILE = '65536';
const run = (out: string, args: string[], env: Record<string, string> = {}) =>
  sluice(['run', PIPELINE, '--input', input, '--output', out, '--batch-size', '8', '--task-bytes', PER_FILE, ...args], env);

async function digest(out: string): Promise<Record<string, string>> {
  const dir = join(out, 'documents');
  const result: Record<string, string> = {};
  for (const n of (await readdir(dir)).sort()) result[n] = createHash('sha256').update(await readFile(join(dir, n))).digest('hex');
  return result;
}

async function rows(out: string): Promise<{ id: string; text: string; substr_removed_tokens: number }[]> {
  const all = [];
  for (const n of (await readdir(join(out, 'documents'))).sort()) {
    for (const line of (await readFile(join(out, 'documents', n), 'utf8')).split('\n')) if (line) all.push(JSON.parse(line));
  }
  return all;
}

describe('exact-substring dedup through sluice run', () => {
  let baseline: Record<string, string>;

  it('workers=1 and workers=2 are byte-identical and cut exactly the brute-force spans', async () => {
    const a = join(tmp, 'w1'), b = join(tmp, 'w2');
    const ra = run(a, ['--workers', '1']);
    expect(ra.status, ra.stderr).toBe(0);
    const rb = run(b, ['--workers', '2']);
    expect(rb.status, rb.stderr).toBe(0);
    baseline = await digest(a);
    expect(Object.keys(baseline)).toHaveLength(FILES);
    expect(await digest(b)).toEqual(baseline);

    const gpt2 = await loadTokenizer('gpt2');
    const ids = docs.map((d) => gpt2.encodeOrdinary(d.text));
    const spans = bruteSpans(ids, 50, 'none');
    const removed = spans.map((s) => s.reduce((n, x, j) => n + (j % 2 ? x : -x), 0));
    const dropped = docs.filter((_, i) => removed[i]! > 0 && ids[i]!.length - removed[i]! < 50).map((d) => d.id);
    const out = await rows(a);
    expect(out.map((r) => r.id)).toEqual(docs.map((d) => d.id).filter((id) => !dropped.includes(id)));
    for (const r of out) expect(r.substr_removed_tokens, r.id).toBe(removed[docs.findIndex((d) => d.id === r.id)]);
    const s = JSON.parse(await readFile(join(a, 'stats.json'), 'utf8')) as RunStats;
    const step = s.steps.find((x) => x.name === 'substring_dedup')!;
    expect(step.documentsIn).toBe(docs.length);
    expect(step.dropped).toEqual(dropped.length ? { 'substring_dedup:too_short': dropped.length } : {});
  }, 300_000);

  it('a bucket over its memory budget makes several passes and gives the same output', async () => {
    const out = join(tmp, 'passes');
    const r = run(out, ['--workers', '2', '--option', 'memoryMb=0.1']);
    expect(r.status, r.stderr).toBe(0);
    const store = new LocalBlobStore(join(out, '_store'));
    for (let k = 0; k < FILES; k++) {
      const summary = JSON.parse(new TextDecoder().decode(await store.getBytes(dedupKeys.stars('s1', k)))) as SubstringBucketSummary;
      expect(summary.passes).toBeGreaterThan(1);
    }
    const base = await rows(join(tmp, 'w1'));
    expect((await rows(out)).map((x) => [x.id, x.text])).toEqual(base.map((x) => [x.id, x.text]));
  });

  it('SIGKILL in the map, bucket, merge and cut phases, then resume, equals the uninterrupted run', async () => {
    const store = new LocalBlobStore(join(tmp, 'w1', '_store'));
    let parentCommits = 0;
    for (let p = 0; p < FILES; p++) parentCommits += (await readCheckpoint(store, keys.committed('s0', p)))!.pieces.length;
    const points = [
      ['map', 3], ['bucket', parentCommits + 2], ['merge', parentCommits + FILES + 2], ['cut', parentCommits + 2 * FILES + 3],
    ] as const;
    for (const [phase, k] of points) {
      const out = join(tmp, `kill-${phase}`);
      const killed = run(out, ['--workers', '2'], { SLUICE_TEST_KILL_AFTER: String(k) });
      expect(killed.signal, `${phase}: ${killed.stderr}`).toBe('SIGKILL');
      await expect(stat(join(out, 'stats.json'))).rejects.toThrow();
      const s = new LocalBlobStore(join(out, '_store'));
      expect(await s.has(dedupKeys.merged('s1'))).toBe(phase === 'cut');
      expect((await s.list('stages/s1/dedup/assign/')).length > 0).toBe(phase === 'merge' || phase === 'cut');
      expect((await s.list('stages/s1/dedup/stars/')).length).toBe(phase === 'map' ? 0 : phase === 'bucket' ? 2 : FILES);
      const resumed = run(out, ['--workers', '1', '--resume']);
      expect(resumed.status, resumed.stderr).toBe(0);
      expect(await digest(out)).toEqual(baseline);
    }
  }, 600_000);

  it('runs task by task with `sluice task` (bucket and merge tasks report committed) to the same output', async () => {
    const out = join(tmp, 'tasks');
    expect(run(out, ['--plan-only']).status).toBe(0);
    const plan = JSON.parse(await readFile(join(out, 'plan.json'), 'utf8')) as { tasks: { id: string; kind: string }[] };
    expect(plan.tasks.filter((t) => t.kind === 'bucket')).toHaveLength(FILES);
    expect(sluice(['task', out, 's1.merge']).status).toBe(2);
    for (const t of plan.tasks) {
      const r = sluice(['task', out, t.id]);
      expect(r.status, `${t.id}: ${r.stderr}`).toBe(0);
    }
    expect(sluice(['task', out, 's1.bucket.1']).status).toBe(0);
    expect(await digest(out)).toEqual(baseline);
  }, 600_000);
});
