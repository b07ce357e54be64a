import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readParquet } from '../../src/dataframe/read.ts';
import { sumDropped, type RunStats } from '../../src/exec/accounting/counters.ts';
import { readTokenShardManifest } from '../../src/io/token-shards/writer.ts';
import { isPublicIpv4, isPublicIpv6 } from '../../src/ops/text/ip-address.ts';
import { piiOptions, redactPii } from '../../src/ops/transforms/pii.ts';

const ROOT = resolve(import.meta.dirname, '../..');
const PIPELINE = join(ROOT, 'pipelines/fineweb.ts');
const INPUT = join(ROOT, 'fixtures/warc');
let tmp: string;
beforeAll(async () => { tmp = await mkdtemp(join(tmpdir(), 'sluice-fineweb-')); });
afterAll(async () => { await rm(tmp, { recursive: true, force: true }); });

function run(out: string, workers: number) {
  return spawnSync(process.execPath, [join(ROOT, 'bin/sluice.js'), 'run', PIPELINE, '--input', INPUT, '--output', out,
    '--workers', String(workers), '--option', 'maxTokensPerShard=8000'], { cwd: ROOT, encoding: 'utf8' });
}

/**
 * The FineWeb recipe's funnel on fixtures/warc: per step [stage, step, documentsIn,
 * documentsOut, drop reasons, quarantined]. As in the RefinedWeb recipe the optimizer runs the
 * cheap Gopher quality filter before language ID. The trafilatura-like extractor (captions,
 * bylines and link lists dropped) leaves two link-listing pages without text and shorter texts
 * elsewhere: more pages fall under Gopher's short-document threshold, fewer fail C4's sentence
 * count and FineWeb's punctuation ratio, so 23 are kept (21 before). Change these only with a reason.
 */
const GOLDEN: [string, string, number, number, Record<string, number>, number][] = [
  ['s0', 'scan', 221, 60, { 'non_response:request': 81, 'non_response:metadata': 45, content_type: 20, non_http_response: 5, 'non_response:warcinfo': 5, 'non_response:resource': 4 }, 1],
  ['s0', 'url_filter', 60, 60, {}, 0],
  ['s0', 'extract_text', 60, 58, { 'extract_text:no_text': 2 }, 0],
  ['s0', 'drop', 58, 58, {}, 0],
  ['s0', 'gopher_quality', 58, 29, {
    'gopher_quality:gopher_below_alpha_threshold': 12, 'gopher_quality:gopher_below_avg_threshold': 7, 'gopher_quality:gopher_short_doc': 7,
    'gopher_quality:gopher_enough_stop_words': 2, 'gopher_quality:gopher_too_many_ellipsis': 1,
  }, 0],
  ['s0', 'language_id', 29, 29, {}, 0],
  ['s0', 'gopher_repetition', 29, 27, { 'gopher_repetition:dup_para_frac': 1, 'gopher_repetition:dup_para_char_frac': 1 }, 0],
  ['s0', 'c4_quality', 27, 27, {}, 0],
  ['s0', 'fineweb_quality', 27, 25, { 'fineweb_quality:line_punct_ratio': 2 }, 0],
  ['s1', 'dedup', 25, 23, { 'dedup:minhash_duplicate': 2 }, 0],
  ['s1', 'pii', 23, 23, {}, 0],
  ['s1', 'tokenize', 23, 23, {}, 0],
  ['s1', 'select', 23, 23, {}, 0],
];

async function digest(out: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const sub of ['tokens', 'documents']) {
    const dir = join(out, sub);
    for (const n of (await readdir(dir)).sort()) {
      result[relative(out, join(dir, n))] = createHash('sha256').update(await readFile(join(dir, n))).digest('hex');
    }
  }
  return result;
}

describe('pipelines/fineweb.ts on fixtures/warc', () => {
  const out = () => join(tmp, 'w1');
  let stats: RunStats;

  it('runs from the CLI and writes shards, documents and stats.json', async () => {
    const r = run(out(), 1);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/s1 pii\s+23\s+23/);
    expect(r.stdout).toMatch(/tokens: \d+ in 23 documents/);
    stats = JSON.parse(await readFile(join(out(), 'stats.json'), 'utf8')) as RunStats;
    expect((await readTokenShardManifest(join(out(), 'tokens'))).totalDocuments).toBe(23);
  });

  it('pins the per-step funnel', () => {
    expect(stats.steps.map((s) => [s.stage, s.name, s.documentsIn, s.documentsOut, s.dropped, s.quarantined])).toEqual(GOLDEN);
    expect(stats.totals.documentsIn).toBe(221);
    expect(stats.totals.documentsOut).toBe(23);
  });

  it('accounts for every document (stats invariant)', () => {
    // Each step, the first of a stage included, starts with what the step before it kept.
    let previousOut = stats.totals.documentsIn;
    for (const s of stats.steps) {
      expect(s.documentsIn, `${s.stage} ${s.name}`).toBe(previousOut);
      expect(s.documentsIn, `${s.stage} ${s.name}`).toBe(s.documentsOut + sumDropped(s) + s.quarantined);
      previousOut = s.documentsOut;
    }
    const dropped = Object.values(stats.totals.dropped).reduce((a, b) => a + b, 0);
    expect(stats.totals.documentsOut + dropped + stats.totals.quarantined).toBe(stats.totals.documentsIn);
  });

  it('leaves no public e-mail or IP address in the kept documents', async () => {
    const docs = await readParquet(join(out(), 'documents')).collect();
    const texts = docs.getChild('text')!.toArray() as string[];
    const ips = [...(docs.getChild('pii_ips')!.toArray() as Int32Array)];
    const emails = [...(docs.getChild('pii_emails')!.toArray() as Int32Array)];
    expect(texts).toHaveLength(23);
    // One crawled page lists its crawler's two public addresses; one kept page (a Creative Commons
    // post whose body ends "contact us at <address>") has one e-mail address. All are redacted.
    expect(ips.reduce((a, b) => a + b, 0)).toBe(2);
    expect(emails.reduce((a, b) => a + b, 0)).toBe(1);
    const o = piiOptions.parse({});
    for (const t of texts) {
      expect(redactPii(t, o)).toEqual({ text: t, emails: 0, ips: 0 });
      // A looser second opinion than the operator's patterns, outside URLs.
      const prose = t.replace(/[A-Za-z][A-Za-z0-9+.-]*:\/\/\S+/g, ' ');
      for (const m of prose.match(/\d{1,3}(?:\.\d{1,3}){3}/g) ?? []) expect(isPublicIpv4(m), m).toBe(false);
      for (const m of prose.match(/[0-9A-Fa-f:]*:[0-9A-Fa-f:]+/g) ?? []) expect(isPublicIpv6(m), m).toBe(false);
      for (const m of prose.match(/[\w.+%-]+@[\w-]+(?:\.[\w-]+)+/g) ?? []) expect(m === o.emailReplacement || prose.includes(`@${m}`), m).toBe(true);
    }
    expect(texts.some((t) => t.includes(o.ipv4Replacement))).toBe(true);
  });

  it('gives byte-identical shards and documents with 2 workers', async () => {
    const first = await digest(out());
    await rm(out(), { recursive: true });
    const r = run(out(), 2);
    expect(r.status, r.stderr).toBe(0);
    expect(await digest(out())).toEqual(first);
  });
});
