import { existsSync } from 'node:fs';
import { mkdir, open, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { splitPoints } from '../../src/io/warc/partitions.ts';

const ROOT = resolve(import.meta.dirname, '../..');
/** The shared crawl excerpts (real WARC); fixtures/warc (a 160 KB head of the 2008 crawl) without ../shared. */
const SHARED = resolve(ROOT, '../shared/data/warc');

/** Sources: every complete `.warc.gz` crawl (not the deliberately truncated one, not WET/WAT). */
async function sources(): Promise<string[]> {
  const dir = existsSync(SHARED) ? SHARED : join(ROOT, 'fixtures/warc');
  return (await readdir(dir)).filter((n) => n.endsWith('.warc.gz') && !n.startsWith('clipped.')).sort().map((n) => join(dir, n));
}

/**
 * Writes at least `mb` MB of WARC into one file: the crawl excerpts concatenated, repeated as often
 * as needed (concatenated gzip members are a valid multi-member `.warc.gz`). Returns its path.
 */
export async function writeCorpus(dir: string, mb: number): Promise<{ path: string; bytes: number; from: string }> {
  const files = await sources();
  const one = Buffer.concat(await Promise.all(files.map((f) => readFile(f))));
  const copies = Math.max(1, Math.ceil((mb * 1e6) / one.length));
  await mkdir(dir, { recursive: true });
  const path = join(dir, 'corpus.warc.gz');
  const fh = await open(path, 'w');
  try {
    for (let i = 0; i < copies; i++) await fh.write(one);
  } finally { await fh.close(); }
  return { path, bytes: one.length * copies, from: files.map((f) => f.split('/').pop()).join(', ') };
}

/** Cuts `corpus` at gzip-member (record) starts into `n` files of about equal size under `dir`. */
export async function splitCorpus(corpus: string, dir: string, n: number): Promise<string[]> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const { size, points } = splitPoints(corpus, Math.ceil((await stat(corpus)).size / n));
  const bytes = await readFile(corpus);
  const out: string[] = [];
  for (let i = 0; i < points.length; i++) {
    const path = join(dir, `part-${String(i).padStart(4, '0')}.warc.gz`);
    await writeFile(path, bytes.subarray(points[i]!, points[i + 1] ?? size));
    out.push(path);
  }
  return out;
}
