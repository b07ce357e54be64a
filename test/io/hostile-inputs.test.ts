import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunStats } from '../../src/exec/accounting/counters.ts';
import {
  bomb, goodJsonl, longLine, NOT_GZIP, warcPage, warcResponseHead, writeCorruptFooter, writeHostile, writeParquetColumns,
} from '../helpers/hostile-files.ts';

/**
 * Issue 18 item 6: hostile inputs through `sluice run` (the CLI on dist/, one worker) next to good
 * files. Each run must complete; each hostile file must end as quarantined records naming the file
 * and a reason prefixed by the reader; stats must add up; the run's peak RSS must stay under
 * 1.5 GB. Sizes are cut down from the (bench/hostile.ts runs those) but the limits are the
 * defaults, so each file still crosses the limit that stops it: a 1 GiB gzip bomb (1 MB on disk),
 * a 96 MiB line against the 64 MiB maxLineBytes, a 100 GB Content-Length.
 */
const ROOT = resolve(import.meta.dirname, '../..');
const FIXTURES = join(ROOT, 'fixtures');
const PIPELINE = join(ROOT, 'test/io/pipelines/hostile.ts');
const MAX_RSS_BYTES = 1.5 * 2 ** 30;
const PARAGRAPH = 'The committee published its findings on Tuesday, and the report runs to many pages of careful detail about the river and its stones.';

interface Quarantined { file: string; pos: number; error: string; stepName: string }
interface Run { stats: RunStats; quarantined: Quarantined[]; maxRss: number }

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(join(tmpdir(), 'sluice-hostile-')); });
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

function run(input: string, format: string): Run {
  const out = `${input}-out`;
  const rssFile = `${input}.rss`;
  const r = spawnSync(process.execPath, [join(ROOT, 'test/helpers/max-rss.mjs'), 'run', PIPELINE,
    '--input', input, '--output', out, '--workers', '1', '--option', `format=${format}`],
  { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SLUICE_MAX_RSS_FILE: rssFile } });
  expect(r.status, r.stderr).toBe(0);
  const qdir = join(out, 'quarantine');
  const quarantined = readdirSync(qdir).sort().flatMap((f) =>
    readFileSync(join(qdir, f), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Quarantined));
  return { stats: JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as RunStats, quarantined, maxRss: Number(readFileSync(rssFile, 'utf8')) };
}

/** The accounting invariant, checked here from stats.json rather than trusted from the driver. */
function expectStatsAddUp(stats: RunStats): void {
  let previousOut: number | undefined;
  for (const s of stats.steps) {
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    expect(s.documentsIn, s.name).toBe(s.documentsOut + dropped + s.quarantined);
    if (previousOut !== undefined) expect(s.documentsIn, s.name).toBe(previousOut);
    previousOut = s.documentsOut;
  }
  const quarantined = stats.steps.reduce((a, s) => a + s.quarantined, 0);
  expect(stats.totals.quarantined).toBe(quarantined);
}

function reasonsOf(r: Run, file: string): string[] {
  return r.quarantined.filter((q) => q.file === file).map((q) => q.error);
}

describe('hostile JSONL inputs', () => {
  it('quarantine a gzip bomb, over-long lines (plain and gzip), a 0-byte and a non-gzip .gz; good lines are read', async () => {
    const dir = join(tmp, 'jsonl');
    mkdirSync(dir);
    const f = (name: string) => join(dir, name);
    writeFileSync(f('a-good.jsonl'), goodJsonl(FIXTURES, 10));
    await writeHostile(f('b-bomb.jsonl.gz'), bomb(1 << 30), { gzip: true });
    await writeHostile(f('c-long-line.jsonl'), longLine(96 << 20, 'long'), { gzip: false, after: goodJsonl(FIXTURES, 3) });
    await writeHostile(f('d-long-line.jsonl.gz'), longLine(96 << 20, 'long-gz'), { gzip: true, level: 1, after: gzipSync(goodJsonl(FIXTURES, 2)) });
    writeFileSync(f('e-empty.jsonl.gz'), '');
    writeFileSync(f('f-not-gzip.jsonl.gz'), NOT_GZIP);
    expect(statSync(f('b-bomb.jsonl.gz')).size).toBeLessThan(2 << 20);

    const r = run(dir, 'jsonl');
    expectStatsAddUp(r.stats);
    expect(reasonsOf(r, f('b-bomb.jsonl.gz'))).toEqual([expect.stringMatching(/^jsonl: gzip stream inflates more than 100× its compressed size \(maxInflationRatio\)/)]);
    expect(reasonsOf(r, f('c-long-line.jsonl'))).toEqual([`jsonl: line of ${(96 << 20) + 23} bytes exceeds maxLineBytes (${64 << 20})`]);
    expect(reasonsOf(r, f('d-long-line.jsonl.gz'))).toEqual([`jsonl: line of ${(96 << 20) + 26} bytes exceeds maxLineBytes (${64 << 20})`]);
    expect(reasonsOf(r, f('e-empty.jsonl.gz'))).toEqual(['jsonl: empty file (0 bytes)']);
    const notGzip = reasonsOf(r, f('f-not-gzip.jsonl.gz'));
    expect(notGzip).toHaveLength(NOT_GZIP.toString().trim().split('\n').length);
    for (const reason of notGzip) expect(reason).toMatch(/^jsonl: malformed JSON: .* \(the file is named \.gz but is not gzip; read as plain text\)$/);
    // Every good line is read, including those after the over-long lines.
    const scan = r.stats.steps[0]!;
    expect(scan).toMatchObject({ name: 'scan', documentsOut: 10 + 3 + 2, quarantined: r.quarantined.length });
    expect(r.maxRss).toBeLessThan(MAX_RSS_BYTES);
  }, 300_000);
});

describe('hostile WARC inputs', () => {
  it('quarantine a gzip bomb member, 100 GB Content-Lengths (plain and gzip), 0-byte files and a non-gzip .gz; good records are read', async () => {
    const dir = join(tmp, 'warc');
    mkdirSync(dir);
    const f = (name: string) => join(dir, name);
    const pages = [1, 2, 3].map((i) => warcPage(`http://good.example/${i}`, PARAGRAPH));
    writeFileSync(f('a-good.warc.gz'), Buffer.concat(pages.map((p) => gzipSync(p))));
    // A response record whose 1 GiB body of zeros is one gzip member of ~1 MB, between good members.
    await writeHostile(f('b-bomb.warc.gz'), bomb(1 << 30, warcResponseHead('http://bomb.example/', 1 << 30)),
      { gzip: true, before: gzipSync(pages[0]!), after: gzipSync(pages[1]!) });
    const liar = Buffer.concat([warcResponseHead('http://liar.example/', 200, 100 * 10 ** 9), Buffer.alloc(200, 0x61), Buffer.from('\r\n\r\n')]);
    writeFileSync(f('c-liar.warc'), Buffer.concat([pages[0]!, liar, pages[2]!]));
    writeFileSync(f('d-liar.warc.gz'), Buffer.concat([gzipSync(pages[0]!), gzipSync(liar), gzipSync(pages[2]!)]));
    writeFileSync(f('e-empty.warc.gz'), '');
    writeFileSync(f('f-empty.warc'), '');
    writeFileSync(f('g-not-gzip.warc.gz'), NOT_GZIP);

    const r = run(dir, 'warc');
    expectStatsAddUp(r.stats);
    expect(reasonsOf(r, f('b-bomb.warc.gz'))).toEqual([`warc: gzip member inflates to more than ${256 << 20} bytes (limit maxMemberBytes)`]);
    expect(reasonsOf(r, f('c-liar.warc'))).toEqual([expect.stringMatching(/^warc: WARC record of 100000000\d{3} bytes exceeds maxRecordBytes \(268435456\)$/)]);
    expect(reasonsOf(r, f('d-liar.warc.gz'))).toEqual([expect.stringMatching(/^warc: truncated WARC record: Content-Length 100000000000 but its gzip member holds \d+ bytes$/)]);
    expect(reasonsOf(r, f('e-empty.warc.gz'))).toEqual(['warc: empty file (0 bytes)']);
    expect(reasonsOf(r, f('f-empty.warc'))).toEqual(['warc: empty file (0 bytes)']);
    expect(reasonsOf(r, f('g-not-gzip.warc.gz'))).toEqual([expect.stringMatching(/^warc: malformed WARC record: .* \(the file is named \.gz but is not gzip; read as uncompressed WARC\)$/)]);
    // 3 good pages, the 2 around the bomb, and the 2 around each liar.
    expect(r.stats.steps[0]).toMatchObject({ name: 'scan', documentsOut: 3 + 2 + 2 + 2, quarantined: 6 });
    expect(r.maxRss).toBeLessThan(MAX_RSS_BYTES);
  }, 300_000);
});

describe('hostile Parquet inputs', () => {
  it('quarantine a file with a corrupt footer, a split whose text column is Int64, and a 0-byte file', async () => {
    const dir = join(tmp, 'parquet');
    mkdirSync(dir);
    const f = (name: string) => join(dir, name);
    const good = join(FIXTURES, 'parquet/dolma-sample.parquet');
    copyFileSync(good, f('a-good.parquet'));
    writeCorruptFooter(f('b-corrupt-footer.parquet'), readFileSync(good));
    await writeParquetColumns(f('c-int64-text.parquet'), ['x', 'y', 'z'], [1n, 2n, 3n]);
    writeFileSync(f('d-empty.parquet'), '');

    const r = run(dir, 'parquet');
    expectStatsAddUp(r.stats);
    expect(reasonsOf(r, f('b-corrupt-footer.parquet'))).toEqual([expect.stringMatching(/^parquet: unreadable Parquet file: /)]);
    expect(reasonsOf(r, f('c-int64-text.parquet'))).toEqual([
      'parquet: column "text" is Int64 in this file but Utf8 in the source schema (from the first readable file); the split\'s 3 rows (row groups 0) are not read',
    ]);
    expect(reasonsOf(r, f('d-empty.parquet'))).toEqual([expect.stringMatching(/^parquet: unreadable Parquet file: .*not a Parquet file \(0 bytes\)$/)]);
    expect(r.stats.steps[0]).toMatchObject({ name: 'scan', documentsOut: 40, quarantined: 3 });
    expect(r.maxRss).toBeLessThan(MAX_RSS_BYTES);
  });

  it('a lone file with an Int64 text column has each row quarantined by the operator that needs text', async () => {
    const dir = join(tmp, 'parquet-int64');
    mkdirSync(dir);
    await writeParquetColumns(join(dir, 'int64-text.parquet'), ['x', 'y', 'z'], [1n, 2n, 3n]);
    const r = run(dir, 'parquet');
    expectStatsAddUp(r.stats);
    expect(r.quarantined.map((q) => [q.stepName, q.error])).toEqual(
      Array.from({ length: 3 }, () => ['gopher_quality', expect.stringMatching(/column "text" must be Utf8, got Int64/)]));
  });
});
