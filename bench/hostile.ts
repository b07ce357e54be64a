/**
 * `npm run bench -- hostile`: the hostile inputs of issue 18 item 6 at full size, each next to a
 * good file in its own `sluice run` (dist/, one worker, default reader limits): a 10 GiB gzip bomb
 * as `.jsonl.gz` and as a `.warc.gz` member (~10 MB on disk each), a 1 GiB JSON line plain and
 * gzipped, a 100 GB Content-Length in a `.warc` and a `.warc.gz`, a Parquet file with a corrupt
 * footer and one with an Int64 `text`, 0-byte and non-gzip `.gz` files. One JSON line per case:
 * peak RSS of the run (`process.resourceUsage().maxRSS`, worker threads included), wall seconds,
 * documents and the quarantine reason; `ok` says the run completed, stats add up and the file was
 * quarantined. The baseline is the same run over the good file alone, measured first.
 * Files are generated in `$HOSTILE_DIR` (default: the OS temp dir) one case at a time and deleted
 * after it; the largest case needs ~1.3 GB of disk. `HOSTILE_CASES=a,b` runs only those cases.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { RunStats } from '../src/exec/accounting/counters.ts';
import {
  bomb, contentBytes, goodJsonl, longLine, NOT_GZIP, warcPage, warcResponseHead, writeCorruptFooter, writeHostile, writeParquetColumns,
} from '../test/helpers/hostile-files.ts';

const ROOT = resolve(import.meta.dirname, '..');
const FIXTURES = join(ROOT, 'fixtures');
const PIPELINE = join(ROOT, 'test/io/pipelines/hostile.ts');
const GIB = 2 ** 30;
const PARAGRAPH = 'The committee published its findings on Tuesday, and the report runs to many pages of careful detail about the river and its stones.';
const pages = [1, 2].map((i) => warcPage(`http://good.example/${i}`, PARAGRAPH));
const liar = Buffer.concat([warcResponseHead('http://liar.example/', 200, 100 * 10 ** 9), Buffer.alloc(200, 0x61), Buffer.from('\r\n\r\n')]);

type Format = 'jsonl' | 'warc' | 'parquet';
interface Case {
  name: string;
  format: Format;
  /** File name of the hostile input (none for a baseline). */
  file?: string;
  /** Bytes the file stands for once inflated or claimed, when that is the point of the case. */
  standsFor?: number;
  make(path: string): Promise<void> | void;
}

function good(format: Format, dir: string): void {
  if (format === 'jsonl') writeFileSync(join(dir, 'a-good.jsonl'), goodJsonl(FIXTURES, 40));
  else if (format === 'warc') writeFileSync(join(dir, 'a-good.warc.gz'), Buffer.concat(pages.map((p) => gzipSync(p))));
  else copyFileSync(join(FIXTURES, 'parquet/dolma-sample.parquet'), join(dir, 'a-good.parquet'));
}

const CASES: Case[] = [
  ...(['jsonl', 'warc', 'parquet'] as const).map((format): Case => ({ name: `baseline-${format}-good-only`, format, make: () => {} })),
  { name: 'jsonl-gz-bomb-10gib', format: 'jsonl', file: 'b-bomb.jsonl.gz', standsFor: 10 * GIB, make: (p) => writeHostile(p, bomb(10 * GIB), { gzip: true }) },
  {
    name: 'warc-gz-bomb-10gib', format: 'warc', file: 'b-bomb.warc.gz', standsFor: 10 * GIB,
    make: (p) => writeHostile(p, bomb(10 * GIB, warcResponseHead('http://bomb.example/', 10 * GIB)), { gzip: true, before: gzipSync(pages[0]!), after: gzipSync(pages[1]!) }),
  },
  {
    name: 'jsonl-line-1gib', format: 'jsonl', file: 'b-long.jsonl', standsFor: contentBytes(longLine(GIB, 'x')),
    make: (p) => writeHostile(p, longLine(GIB, 'long'), { gzip: false, after: goodJsonl(FIXTURES, 3) }),
  },
  {
    name: 'jsonl-gz-line-1gib', format: 'jsonl', file: 'b-long.jsonl.gz', standsFor: contentBytes(longLine(GIB, 'x')),
    make: (p) => writeHostile(p, longLine(GIB, 'long'), { gzip: true, level: 1, after: gzipSync(goodJsonl(FIXTURES, 3)) }),
  },
  { name: 'warc-content-length-100gb', format: 'warc', file: 'b-liar.warc', standsFor: 100 * 10 ** 9, make: (p) => writeFileSync(p, Buffer.concat([pages[0]!, liar, pages[1]!])) },
  {
    name: 'warc-gz-content-length-100gb', format: 'warc', file: 'b-liar.warc.gz', standsFor: 100 * 10 ** 9,
    make: (p) => writeFileSync(p, Buffer.concat([pages[0]!, liar, pages[1]!].map((r) => gzipSync(r)))),
  },
  { name: 'parquet-corrupt-footer', format: 'parquet', file: 'b-footer.parquet', make: (p) => writeCorruptFooter(p, readFileSync(join(FIXTURES, 'parquet/dolma-sample.parquet'))) },
  { name: 'parquet-int64-text', format: 'parquet', file: 'b-int64.parquet', make: (p) => writeParquetColumns(p, ['x', 'y', 'z'], [1n, 2n, 3n]) },
  { name: 'jsonl-empty-gz', format: 'jsonl', file: 'b-empty.jsonl.gz', make: (p) => writeFileSync(p, '') },
  { name: 'warc-empty-gz', format: 'warc', file: 'b-empty.warc.gz', make: (p) => writeFileSync(p, '') },
  { name: 'jsonl-not-gzip-gz', format: 'jsonl', file: 'b-not-gzip.jsonl.gz', make: (p) => writeFileSync(p, NOT_GZIP) },
  { name: 'warc-not-gzip-gz', format: 'warc', file: 'b-not-gzip.warc.gz', make: (p) => writeFileSync(p, NOT_GZIP) },
];

function addsUp(stats: RunStats): boolean {
  let previous: number | undefined;
  for (const s of stats.steps) {
    const dropped = Object.values(s.dropped).reduce((a, b) => a + b, 0);
    if (s.documentsIn !== s.documentsOut + dropped + s.quarantined) return false;
    if (previous !== undefined && s.documentsIn !== previous) return false;
    previous = s.documentsOut;
  }
  return true;
}

export default async function run(): Promise<void> {
  const only = process.env.HOSTILE_CASES?.split(',');
  const root = mkdtempSync(join(process.env.HOSTILE_DIR ?? tmpdir(), 'sluice-bench-hostile-'));
  try {
    for (const c of CASES) {
      if (only && !only.includes(c.name)) continue;
      const dir = join(root, c.name, 'in');
      mkdirSync(dir, { recursive: true });
      good(c.format, dir);
      const path = c.file ? join(dir, c.file) : undefined;
      if (path) await c.make(path);
      const out = join(root, c.name, 'out');
      const rssFile = join(root, c.name, 'rss');
      const t0 = performance.now();
      const r = spawnSync(process.execPath, [join(ROOT, 'test/helpers/max-rss.mjs'), 'run', PIPELINE, '--input', dir, '--output', out,
        '--workers', '1', '--option', `format=${c.format}`], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, SLUICE_MAX_RSS_FILE: rssFile } });
      const wallS = (performance.now() - t0) / 1000;
      const stats = r.status === 0 ? (JSON.parse(readFileSync(join(out, 'stats.json'), 'utf8')) as RunStats) : undefined;
      const qdir = join(out, 'quarantine');
      const quarantined = stats && existsSync(qdir) ? readdirSync(qdir).flatMap((f) => readFileSync(join(qdir, f), 'utf8').trim().split('\n').filter(Boolean))
        .map((l) => JSON.parse(l) as { file: string; error: string }) : [];
      const mine = quarantined.filter((q) => q.file === path);
      const ok = r.status === 0 && !!stats && addsUp(stats) && (path ? mine.length > 0 : quarantined.length === 0);
      console.log(JSON.stringify({
        bench: 'hostile', case: c.name, ok, exitCode: r.status,
        fileBytes: path ? statSync(path).size : 0, ...(c.standsFor ? { standsForBytes: c.standsFor } : {}),
        peakRssMb: Math.round(Number(readFileSync(rssFile, 'utf8')) / 2 ** 20), wallS: Number(wallS.toFixed(2)),
        documentsIn: stats?.totals.documentsIn, documentsOut: stats?.totals.documentsOut, quarantined: stats?.totals.quarantined,
        reason: mine[0]?.error.slice(0, 160) ?? (r.status === 0 ? undefined : r.stderr.slice(-300)),
      }));
      rmSync(join(root, c.name), { recursive: true, force: true });
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
